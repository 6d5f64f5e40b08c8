namespace ExampleService.Build.Quality;

/// <summary>
/// Checks that a SonarQube server answers before the scanner runs: the scanner alone aborts with exit code 134 and a
/// stack trace when it cannot connect.
/// </summary>
public static class SonarServer
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Returns the server version, or throws with a message saying which URL failed and why.</summary>
    public static async Task<string> ProbeAsync(string hostUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(hostUrl.TrimEnd('/') + "/api/server/version", UriKind.Absolute, out var probe)
            || probe.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException(
                $"Sonar host URL '{hostUrl}' is not an http(s) URL. Set --sonar-host-url to e.g. https://sonarcloud.io.");
        }

        using var client = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(probe, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException(
                    $"SonarQube server at {hostUrl} answered {(int)response.StatusCode} {response.ReasonPhrase} to {probe}. " +
                    "Check --sonar-host-url.");
            }

            return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = exception is TaskCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : exception.Message;
            throw new InvalidOperationException(
                $"SonarQube server at {hostUrl} is unreachable ({reason}). Check --sonar-host-url / SONAR_HOST_URL and the network, " +
                "or unset them to skip analysis.", exception);
        }
    }
}
