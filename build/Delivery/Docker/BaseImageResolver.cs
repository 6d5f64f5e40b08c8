using Docker.DotNet;
using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Image;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// Finds the base image to build on: the requested one when the engine has it or can pull it; for the variant's
/// default (the public .NET image) that cannot be pulled, a <see cref="LocalBaseImage"/> imported from the host.
/// </summary>
public sealed class BaseImageResolver(IDockerClient docker, IBuildLog log)
{
    /// <summary>
    /// Returns the image name to pass as <c>BASE_IMAGE</c>; a local stand-in is made for the published app in
    /// <paramref name="appDirectory"/>.
    /// </summary>
    public async Task<string> ResolveAsync(ImageVariant variant, string? requested, string appDirectory, CancellationToken cancellationToken)
    {
        var image = string.IsNullOrWhiteSpace(requested) ? variant.DefaultBaseImage() : requested.Trim();
        if (await ExistsAsync(image, cancellationToken).ConfigureAwait(false))
        {
            log.Information($"Base image {image} is present in the engine.");
            return image;
        }

        var pullError = await TryPullAsync(image, cancellationToken).ConfigureAwait(false);
        if (pullError is null)
        {
            log.Information($"Pulled base image {image}.");
            return image;
        }

        if (image != variant.DefaultBaseImage())
        {
            throw new InvalidOperationException(
                $"Base image {image} is not in the engine and cannot be pulled ({pullError}). Load it (docker load/pull), or leave --docker-base-image unset to build on {variant.DefaultBaseImage()} or its local stand-in.");
        }

        log.Information($"{image} cannot be pulled ({pullError}); building on a local stand-in made from the host's .NET runtime.");
        return await EnsureLocalAsync(LocalBaseImage.ForHost(variant.LocalBase(), appDirectory), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports the local base unless the engine already has it (its tag says what it carries).</summary>
    public async Task<string> EnsureLocalAsync(LocalBaseImage baseImage, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(baseImage.Name, cancellationToken).ConfigureAwait(false))
        {
            log.Information($"Local base image {baseImage.Name} is present in the engine.");
            return baseImage.Name;
        }

        await using var rootFilesystem = new MemoryStream();
        await baseImage.WriteRootFilesystemAsync(rootFilesystem, cancellationToken).ConfigureAwait(false);
        rootFilesystem.Position = 0;
        log.Information($"Importing local base image {baseImage.Name} ({rootFilesystem.Length / 1024.0 / 1024.0:0.0} MB root filesystem from the host)");

        var parameters = new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = baseImage.Repository,
            Tag = baseImage.Tag,
            Changes = [.. baseImage.Changes],
        };
        var progress = new EngineProgress(log);
        await docker.Images.CreateImageAsync(parameters, rootFilesystem, null, progress, cancellationToken).ConfigureAwait(false);
        if (progress.Error is not null)
        {
            throw new InvalidOperationException($"Importing the local base image {baseImage.Name} failed: {progress.Error}");
        }

        return baseImage.Name;
    }

    private async Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
        => await EngineImages.IdOfAsync(docker, image, cancellationToken).ConfigureAwait(false) is not null;

    private Task<string?> TryPullAsync(string image, CancellationToken cancellationToken)
        => EngineImages.TryPullAsync(docker, log, image, null, cancellationToken);
}
