using Docker.DotNet;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>Connects to the Docker engine named by <c>DOCKER_HOST</c>, or the default socket.</summary>
public static class DockerConnection
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The engine endpoint: <c>DOCKER_HOST</c> when set, else the default Unix socket.</summary>
    public static Uri Endpoint(string? dockerHost = null)
    {
        var value = dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(value))
        {
            return new Uri(DefaultEndpoint);
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"DOCKER_HOST='{value}' is not a valid engine address. Use e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375.");
    }

    /// <summary>A client for the engine, after checking that it answers; fails with how to start one when it does not.</summary>
    public static async Task<IDockerClient> ConnectAsync(TypedBuild.IBuildLog log, CancellationToken cancellationToken, string? dockerHost = null)
    {
        var endpoint = Endpoint(dockerHost);
        var client = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(TimeSpan.FromMinutes(10)).Build();
        try
        {
            using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ping.CancelAfter(TimeSpan.FromSeconds(10));
            var version = await client.System.GetVersionAsync(ping.Token).ConfigureAwait(false);
            log.Debug($"Docker engine {version.Version} (API {version.APIVersion}) at {endpoint}");
            return client;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new DockerUnavailableException(endpoint, e);
        }
    }
}

/// <summary>No engine answered: says where it looked and how to get one running.</summary>
public sealed class DockerUnavailableException(Uri endpoint, Exception inner) : Exception(
    $"No Docker engine is reachable at {endpoint} ({inner.Message}). Start one: run 'dockerd &' as root on Linux, " +
    "start Docker Desktop, or set DOCKER_HOST to a running engine (e.g. DOCKER_HOST=tcp://127.0.0.1:2375).",
    inner)
{
    public Uri Endpoint { get; } = endpoint;
}
