using System.Net;

namespace ExampleService.Build.Delivery;

/// <summary>The service's readiness endpoint, asked the same way wherever the build waits for the service.</summary>
public static class ServiceReadiness
{
    public const string Path = "/health/ready";

    /// <summary>True once it answers 200; a refused connection or a slow answer is "not yet", not a failure.</summary>
    public static async Task<bool> IsReadyAsync(HttpClient http, Uri readiness, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(readiness, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
