using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedBuild.Registries;

/// <summary>A blob with the media type its descriptor gives it.</summary>
public sealed record OciBlob(string MediaType, byte[] Content)
{
    /// <summary>OCI's empty descriptor (<c>{}</c>): the config or layer of an artifact that has none, as the image spec advises.</summary>
    public static OciBlob Empty { get; } = new("application/vnd.oci.empty.v1+json", "{}"u8.ToArray());

    public bool IsEmpty => MediaType == Empty.MediaType;
}

/// <summary>
/// An OCI artifact: an image manifest with an <c>artifactType</c>, whose config and layers are data rather than an
/// image (a cache entry, a deploy record). <see cref="OciRegistry.PushArtifactAsync"/> writes one under a tag and
/// <see cref="OciRegistry.PullArtifactAsync"/> reads it back with every blob checked against its digest.
/// </summary>
public sealed record OciArtifact(string ArtifactType, OciBlob Config, IReadOnlyList<OciBlob> Layers)
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The manifest naming blobs of these digests.</summary>
    internal RegistryManifestBlob Manifest(string configDigest, IReadOnlyList<string> layerDigests)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestMediaType,
            ["artifactType"] = ArtifactType,
            ["config"] = Descriptor(Config, configDigest),
            ["layers"] = new JsonArray([.. Layers.Select((layer, i) => (JsonNode)Descriptor(layer, layerDigests[i]))]),
        };
        if (Annotations.Count > 0)
        {
            manifest["annotations"] = new JsonObject(Annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest);
        return new RegistryManifestBlob(bytes, ManifestMediaType, OciRegistry.DigestOf(bytes));
    }

    private static JsonObject Descriptor(OciBlob blob, string digest)
        => new() { ["mediaType"] = blob.MediaType, ["digest"] = digest, ["size"] = blob.Content.Length };
}

/// <summary>What reading an artifact's tag gave: the artifact, or why what the tag names cannot be used as one.</summary>
public sealed record OciArtifactPull(OciArtifact? Artifact, string? Problem);
