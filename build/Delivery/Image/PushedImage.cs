using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TypedBuild;

namespace ExampleService.Build.Delivery.Image;

/// <summary>
/// The image the Push target published, as recorded in <c>artifacts/image.json</c>. Every later step (RunLocal,
/// HelmDeploy, Rollback checks) deploys <see cref="Reference"/>, the immutable <c>repository@sha256:…</c> form,
/// never one of the mutable <see cref="Tags"/>.
/// </summary>
/// <param name="Repository">Registry host and repository path, e.g. <c>localhost:5000/example-service</c>.</param>
/// <param name="Digest">Manifest digest reported by the registry, <c>sha256:</c> plus 64 hex digits.</param>
/// <param name="Reference"><c>Repository@Digest</c>: what deployments pull.</param>
/// <param name="Tags">Tags pushed alongside (version, commit SHA, branch); for humans, never for deploying.</param>
/// <param name="Version">The service version baked into the image.</param>
public sealed partial record PushedImage(
    string Repository,
    string Digest,
    string Reference,
    IReadOnlyList<string> Tags,
    string Version)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Where the Push target writes the record: <c>artifacts/image.json</c> under the repository root.</summary>
    public static AbsolutePath DefaultPath(AbsolutePath rootDirectory) => rootDirectory / "artifacts" / "image.json";

    /// <summary>Creates the record for a digest pushed to a repository; <see cref="Reference"/> is derived.</summary>
    public static PushedImage Create(string repository, string digest, IReadOnlyList<string> tags, string version)
    {
        var image = new PushedImage(repository, digest, $"{repository}@{digest}", tags, version);
        image.Validate("the pushed image");
        return image;
    }

    /// <summary>Reads and validates the record; a missing or malformed file fails with what to do about it.</summary>
    public static PushedImage Load(AbsolutePath path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No pushed image is recorded at {path}. Run './build.sh Push' (or Deploy) first: it builds, pushes and records the image digest there.");
        }

        PushedImage? image;
        try
        {
            image = JsonSerializer.Deserialize<PushedImage>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a valid image record ({e.Message}). Delete it and run './build.sh Push' again.", e);
        }

        if (image is null)
        {
            throw new InvalidOperationException($"{path} is empty. Delete it and run './build.sh Push' again.");
        }

        image.Validate(path);
        return image;
    }

    /// <summary>Writes the record (creating the folder), after validating it.</summary>
    public void Save(AbsolutePath path)
    {
        Validate("the image record to save");
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
    }

    private void Validate(string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Repository) || Repository.Contains('@', StringComparison.Ordinal) || Repository.Contains(' ', StringComparison.Ordinal))
        {
            problems.Add($"repository '{Repository}' must be a registry/repository name without tag or digest");
        }

        if (Digest is null || !DigestPattern().IsMatch(Digest))
        {
            problems.Add($"digest '{Digest}' must be 'sha256:' followed by 64 lower-case hex digits");
        }

        if (Reference != $"{Repository}@{Digest}")
        {
            problems.Add($"reference '{Reference}' must be '{Repository}@{Digest}'");
        }

        if (Tags is null)
        {
            problems.Add("tags must be a list (it may be empty)");
        }

        if (string.IsNullOrWhiteSpace(Version))
        {
            problems.Add("version must not be empty");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Invalid image record in {source}: {string.Join("; ", problems)}.");
        }
    }

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    internal static partial Regex DigestPattern();
}
