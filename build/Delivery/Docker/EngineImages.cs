using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>The engine's answers about one image: its ID if the engine has it, and a pull that reports why it failed.</summary>
internal static class EngineImages
{
    /// <summary>The image's ID, or null when the engine does not have it.</summary>
    public static async Task<string?> IdOfAsync(IDockerClient docker, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Null when the pull worked, else the engine's reason (an unreachable registry fails in well under a second).</summary>
    public static async Task<string?> TryPullAsync(IDockerClient docker, IBuildLog log, string image, AuthConfig? auth, CancellationToken cancellationToken)
    {
        var progress = new EngineProgress(log);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image }, auth, progress, timeout.Token).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            return FirstLine(e.ResponseBody) ?? e.Message;
        }

        return progress.Error;
    }

    private static string? FirstLine(string? text) => text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
