using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>What to build: a context directory, its Dockerfile, the image names (repository:tag), args and labels.</summary>
public sealed record ImageBuildRequest(
    string ContextDirectory,
    string Dockerfile,
    IReadOnlyList<string> Names,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>When set, the image depends on its inputs only: see <see cref="ReproducibleImage"/>.</summary>
    public ReproducibleBuild? Reproducible { get; init; }
}

/// <summary>The base image the Dockerfile starts from (its layers stay as they are) and the time the image takes.</summary>
public sealed record ReproducibleBuild(string BaseImage, DateTimeOffset SourceDate);

/// <summary>An image the engine built: its ID, its size (all layers, uncompressed) and its names.</summary>
public sealed record BuiltImage(string Id, long Size, IReadOnlyList<string> Names)
{
    /// <summary>Both units, since "MB" is read both ways: <c>docker images</c> counts 1000s, most budgets 1024s.</summary>
    public string SizeText => string.Create(CultureInfo.InvariantCulture, $"{Size / 1024.0 / 1024.0:0.0} MiB ({Size / 1e6:0.0} MB)");
}

/// <summary>Builds an image through the engine API from a tar of the context, streaming the build output to the log.</summary>
public sealed class ImageBuilder(IDockerClient docker, IBuildLog log)
{
    /// <summary>Builds the image; a failing step fails with the engine's own message.</summary>
    public async Task<BuiltImage> BuildAsync(ImageBuildRequest request, CancellationToken cancellationToken)
    {
        var context = BuildContext.Collect(request.ContextDirectory, request.Dockerfile);
        log.Information($"Build context: {context.Entries.Count} entries, {context.ContentLength / 1024.0 / 1024.0:0.0} MB (after {DockerIgnore.FileName})");

        await using var tar = new MemoryStream();
        await context.WriteTarAsync(tar, cancellationToken).ConfigureAwait(false);
        tar.Position = 0;
        await using var sent = request.Reproducible is null ? null : new MemoryStream();
        if (request.Reproducible is { } reproducible)
        {
            // The classic builder names each COPY by a hash that includes its files' times.
            await ReproducibleImage.ClampTimesAsync(tar, sent!, reproducible.SourceDate, cancellationToken).ConfigureAwait(false);
            sent!.Position = 0;
        }

        var parameters = new ImageBuildParameters
        {
            Dockerfile = request.Dockerfile.Replace('\\', '/'),
            Tags = [.. request.Names],
            BuildArgs = request.BuildArgs.ToDictionary(),
            Labels = request.Labels.ToDictionary(),
            Remove = true,
            ForceRemove = true,
        };

        var output = new BuildOutput(log);
        await docker.Images.BuildImageFromDockerfileAsync(parameters, sent ?? tar, null, null, new SynchronousProgress<JSONMessage>(output.Report), cancellationToken).ConfigureAwait(false);
        output.ThrowIfFailed();

        var image = await docker.Images.InspectImageAsync(request.Names[0], cancellationToken).ConfigureAwait(false);
        var built = new BuiltImage(image.ID, image.Size, request.Names);
        if (request.Reproducible is not null)
        {
            built = await new ReproducibleImage(docker, log).RewriteAsync(built, request.Reproducible.BaseImage, request.Reproducible.SourceDate, cancellationToken).ConfigureAwait(false);
        }

        log.Information($"Built {string.Join(", ", request.Names)} ({built.Id}, {built.SizeText})");
        return built;
    }

    /// <summary>Turns the engine's JSON progress into log lines and remembers the first error.</summary>
    internal sealed class BuildOutput(IBuildLog log)
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage message)
        {
            if (message.Error?.Message is { Length: > 0 } error)
            {
                Error ??= error.Trim();
                log.Error(error.Trim());
                return;
            }

            foreach (var line in (message.Stream ?? message.Status ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                log.Information(line);
            }
        }

        public void ThrowIfFailed()
        {
            if (Error is not null)
            {
                throw new InvalidOperationException($"docker build failed: {Error}");
            }
        }
    }
}
