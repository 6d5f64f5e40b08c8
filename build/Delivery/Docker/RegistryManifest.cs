using System.Net;
using Docker.DotNet;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>Asks the registry, through the engine (which knows its TLS rules and its login), whether a tag exists.</summary>
public static class RegistryManifest
{
    /// <summary>
    /// True when the registry has <paramref name="reference"/>. A tag it does not know, or a registry that wants a login
    /// the engine does not have, is false: the caller then builds (from the engine's layer cache where it can) and
    /// pushes with its own credentials, and the push says what is wrong with them.
    /// </summary>
    public static async Task<bool> ExistsAsync(IDockerClient docker, string reference, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Distribution.InspectAsync(reference, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException failure) when (failure.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return false;
        }
    }
}
