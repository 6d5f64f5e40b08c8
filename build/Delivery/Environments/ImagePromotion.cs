using System.Text.Json;
using ExampleService.Build.Delivery.Docker;
using TypedBuild.Registries;

namespace ExampleService.Build.Delivery.Environments;

/// <summary>What runs in an environment after a verified rollout; the next promotion and <c>Status</c> read it.</summary>
public sealed record DeployRecord(
    string Environment,
    string Repository,
    string Digest,
    string Version,
    string Commit,
    DateTimeOffset DeployedAt,
    string? ApprovedBy,
    string? RunUrl)
{
    public string Reference => $"{Repository}@{Digest}";
}

/// <summary>
/// Build once, promote by digest, with the registry as the ledger: a verified rollout tags the digest
/// <c>verified-&lt;env&gt;-&lt;commit&gt;</c>, and the next environment deploys only the digest that tag names. The
/// first environment deploys the image the commit's one build pushed (its short-SHA tag). A release version tag is
/// written once and never moved. Each environment's latest <see cref="DeployRecord"/> is an OCI artifact tagged
/// <c>deployed-&lt;env&gt;</c> in the same repository.
/// </summary>
public sealed class ImagePromotion(OciRegistry registry, string repository)
{
    public const string RecordMediaType = "application/vnd.example-service.deploy-record.v1+json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Repository => repository;

    public static string VerifiedTag(string environment, string commit) => $"verified-{environment}-{commit.Trim().ToLowerInvariant()}";

    public static string RecordTag(string environment) => $"deployed-{environment}";

    /// <summary>
    /// The digest <paramref name="environment"/> may deploy for <paramref name="commit"/>: the commit's build for the
    /// first environment, else exactly what the upstream environment verified. Anything else is refused, naming the
    /// environment that has not seen it.
    /// </summary>
    public async Task<string> SourceDigestAsync(EnvironmentDeclaration declaration, DeployEnvironment environment, string commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(environment);
        if (declaration.Upstream(environment) is not { } upstream)
        {
            var tag = ImageTags.ShortSha(commit) ?? throw new InvalidOperationException($"'{commit}' is not a commit SHA; promotion needs the commit being deployed.");
            return await registry.DigestOfAsync(repository, tag, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException(
                    $"No image of commit {commit} in {repository} (no tag {tag}): {environment.Name} deploys the commit's own build, which the package job (./build.sh Push) pushes once per commit. Run it for this commit first.");
        }

        var verified = VerifiedTag(upstream.Name, commit);
        return await registry.DigestOfAsync(repository, verified, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Refusing to promote commit {commit} to {environment.Name}: {upstream.Name} has not verified an image of it (no tag {verified} in {repository}). "
                + $"Promotion order is {declaration.PromotionOrder}: deploy the commit to {upstream.Name} first (push it to its {(upstream.Branch is { } branch ? $"branch '{branch}'" : $"tag '{upstream.Tag}'")}), then promote it.");
    }

    /// <summary>Refuses a digest that <paramref name="environment"/>'s upstream has not verified for the commit.</summary>
    public async Task RequireVerifiedUpstreamAsync(EnvironmentDeclaration declaration, DeployEnvironment environment, string commit, string digest, CancellationToken cancellationToken)
    {
        var expected = await SourceDigestAsync(declaration, environment, commit, cancellationToken).ConfigureAwait(false);
        if (expected != digest)
        {
            throw new InvalidOperationException(
                $"Refusing to deploy {digest} to {environment.Name}: {(environment.PromotesFrom ?? "the commit's build")} verified {expected} for commit {commit}, not this digest.");
        }
    }

    /// <summary>After a verified rollout: tags the digest as verified by the environment and records the deploy.</summary>
    public async Task RecordVerifiedAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await registry.TagAsync(repository, record.Digest, VerifiedTag(record.Environment, record.Commit), cancellationToken).ConfigureAwait(false);
        await WriteRecordAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tags a release version once. The same digest again is a no-op (a re-run job); another digest is refused, since a
    /// released version names one image forever.
    /// </summary>
    public async Task<bool> TagReleaseAsync(string version, string digest, CancellationToken cancellationToken)
    {
        var tag = ImageTags.Sanitize(version) ?? throw new InvalidOperationException($"'{version}' cannot be an image tag.");
        var existing = await registry.DigestOfAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        if (existing == digest)
        {
            return false;
        }

        if (existing is not null)
        {
            throw new InvalidOperationException(
                $"Release {version} is already {repository}:{tag} = {existing}; version tags are immutable, so {digest} cannot take it. Release the new commit under a new version (version.txt and a new tag).");
        }

        await registry.TagAsync(repository, digest, tag, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task WriteRecordAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var content = new OciBlob(RecordMediaType, JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions));
        var artifact = new OciArtifact(RecordMediaType, OciBlob.Empty, [content])
        {
            Annotations = new Dictionary<string, string>
            {
                ["org.opencontainers.image.created"] = record.DeployedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["org.opencontainers.image.revision"] = record.Commit,
                ["org.opencontainers.image.version"] = record.Version,
            },
        };
        await registry.PushArtifactAsync(repository, RecordTag(record.Environment), artifact, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The version and commit an image's OCI labels name (the Dockerfile stamps both), each null when the image lacks
    /// it or is an index without one config: what a rollback, which returns to a digest, records about what runs.
    /// </summary>
    public async Task<(string? Version, string? Commit)> LabelsOfAsync(string digest, CancellationToken cancellationToken)
    {
        var manifest = await registry.GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(manifest.Content);
        if (!document.RootElement.TryGetProperty("config", out var config) || !config.TryGetProperty("digest", out var configDigest)
            || await registry.GetBlobAsync(repository, configDigest.GetString()!, cancellationToken).ConfigureAwait(false) is not { } content)
        {
            return (null, null);
        }

        using var image = JsonDocument.Parse(content);
        if (!image.RootElement.TryGetProperty("config", out var settings) || !settings.TryGetProperty("Labels", out var labels) || labels.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        string? Label(string name) => labels.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return (Label("org.opencontainers.image.version"), Label("org.opencontainers.image.revision"));
    }

    /// <summary>The environment's latest record, or null before its first verified deploy.</summary>
    public async Task<DeployRecord?> ReadRecordAsync(string environment, CancellationToken cancellationToken)
    {
        if (await registry.PullArtifactAsync(repository, RecordTag(environment), cancellationToken).ConfigureAwait(false) is not { } pull)
        {
            return null;
        }

        var content = pull.Artifact?.Layers.FirstOrDefault(layer => layer.MediaType == RecordMediaType)
            ?? throw new InvalidOperationException(
                $"{repository}:{RecordTag(environment)} is not a whole deploy record ({pull.Problem ?? $"no {RecordMediaType} layer"}); the next verified deploy of {environment} rewrites it, or delete the tag.");
        return JsonSerializer.Deserialize<DeployRecord>(content.Content, JsonOptions);
    }
}
