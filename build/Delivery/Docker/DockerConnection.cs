using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild.Provisioning.Daemons;
using TypedBuild.Registries;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>Connects to the Docker engine named by <c>DOCKER_HOST</c>, or the default socket (as the engine's <see cref="DockerEngine"/> reads them).</summary>
public static class DockerConnection
{
    /// <summary>A client for the engine, after checking that it answers; fails with how to start one when it does not.</summary>
    public static async Task<IDockerClient> ConnectAsync(TypedBuild.IBuildLog log, CancellationToken cancellationToken, string? dockerHost = null)
    {
        var endpoint = DockerEngine.EndpointFrom(dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST"));
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

    /// <summary>What the engine logs in to the registry of <paramref name="repository"/> with for a push or pull.</summary>
    public static AuthConfig AuthFor(string repository, RegistryCredentials credentials)
        => credentials.IsAnonymous
            ? new AuthConfig()
            : new AuthConfig { Username = credentials.Username, Password = credentials.Password, ServerAddress = ImageReference.RegistryOf(repository) };
}

/// <summary>No engine answered: says where it looked and how to get one running.</summary>
public sealed class DockerUnavailableException(Uri endpoint, Exception inner) : Exception(
    $"No Docker engine is reachable at {endpoint} ({inner.Message}). Start one: run 'dockerd &' as root on Linux, " +
    "start Docker Desktop, or set DOCKER_HOST to a running engine (e.g. DOCKER_HOST=tcp://127.0.0.1:2375).",
    inner)
{
    public Uri Endpoint { get; } = endpoint;
}
