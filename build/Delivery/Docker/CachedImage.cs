using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;
using TypedBuild.Registries;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// What DockerBuild leaves in its cache entry (<c>artifacts/built-image.json</c>): the image's ID, which depends on
/// the build's inputs only (see <see cref="ReproducibleImage"/>), and the names it was built under.
/// </summary>
public sealed record CachedImage(string Id, long Size, IReadOnlyList<string> Names)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static CachedImage Of(BuiltImage built) => new(built.Id, built.Size, built.Names);

    public void Save(AbsolutePath path)
    {
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
    }

    /// <summary>Null when the file is missing or unreadable: the image is then rebuilt, never guessed.</summary>
    public static CachedImage? TryLoad(AbsolutePath path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CachedImage>(File.ReadAllText(path), JsonOptions) is { Id.Length: > 0, Names.Count: > 0 } image ? image : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Brings back the image of a DockerBuild cache hit: one the engine still has only gets this build's names; one it
/// lacks is pulled under a name it was pushed as (this build's first, then those of the build that recorded it) and
/// is kept only when its ID is the recorded one, since a tag may have moved to another image since.
/// </summary>
public sealed class CachedImageRestorer(IDockerClient docker, IBuildLog log)
{
    /// <summary>False when the image is in neither the engine nor the registry: DockerBuild must run.</summary>
    public async Task<bool> RestoreAsync(CachedImage image, IReadOnlyList<string> names, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        if (await EngineImages.IdOfAsync(docker, image.Id, cancellationToken).ConfigureAwait(false) is null && !await PullAsync(image, names, credentials, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        foreach (var name in names)
        {
            var (repository, tag) = Split(name);
            await docker.Images.TagImageAsync(image.Id, new ImageTagParameters { RepositoryName = repository, Tag = tag }, cancellationToken).ConfigureAwait(false);
        }

        log.Information($"Image {image.Id} is in the engine, tagged {string.Join(", ", names)}");
        return true;
    }

    private async Task<bool> PullAsync(CachedImage image, IReadOnlyList<string> names, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        foreach (var name in names.Concat(image.Names).Distinct(StringComparer.Ordinal))
        {
            var auth = DockerConnection.AuthFor(Split(name).Repository, credentials);
            if (await EngineImages.TryPullAsync(docker, log, name, auth, cancellationToken).ConfigureAwait(false) is { } error)
            {
                log.Information($"{name} cannot be pulled ({error})");
                continue;
            }

            var pulled = await EngineImages.IdOfAsync(docker, name, cancellationToken).ConfigureAwait(false);
            if (pulled == image.Id)
            {
                log.Information($"Pulled {name}: the image of the cache entry");
                return true;
            }

            log.Information($"{name} is now another image ({pulled}), not the cache entry's {image.Id}");
        }

        return false;
    }

    /// <summary><c>host:5000/app:tag</c> → (<c>host:5000/app</c>, <c>tag</c>): the tag follows the last ':' after the last '/'.</summary>
    internal static (string Repository, string Tag) Split(string name)
    {
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? (name[..colon], name[(colon + 1)..]) : (name, "latest");
    }
}
