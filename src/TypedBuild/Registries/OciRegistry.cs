using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TypedBuild.Registries;

/// <summary>A manifest as the registry stores it: its exact bytes, media type and digest.</summary>
public sealed record RegistryManifestBlob(byte[] Content, string MediaType, string Digest);

/// <summary>
/// The OCI distribution API, spoken directly: promotion reads and writes tags without an engine or a pull, so a
/// retag is the same manifest bytes under another name and the digest cannot change on the way. Loopback registries
/// are plain HTTP (as the engine treats them); others HTTPS, with Basic or the registry's Bearer token flow.
/// </summary>
public sealed partial class OciRegistry(HttpClient http, RegistryCredentials credentials)
{
    /// <summary>What the registry may answer for a tag: an image manifest or an index (multi-platform).</summary>
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    /// <summary>The digest <paramref name="reference"/> (a tag or digest) names in <paramref name="repository"/>, or null when there is none.</summary>
    public async Task<string?> DigestOfAsync(string repository, string reference, CancellationToken cancellationToken)
        => (await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false))?.Digest;

    /// <summary>The manifest <paramref name="reference"/> names, or null when the registry has no such tag or digest.</summary>
    public async Task<RegistryManifestBlob?> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, "pull", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, ManifestUri(repository, reference));
            foreach (var type in ManifestTypes)
            {
                request.Headers.Accept.ParseAdd(type);
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"reading {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? ManifestTypes[0];
        return new RegistryManifestBlob(content, mediaType, DigestOf(content));
    }

    /// <summary>Points <paramref name="tag"/> at the manifest <paramref name="digest"/> (its bytes unchanged).</summary>
    public async Task TagAsync(string repository, string digest, string tag, CancellationToken cancellationToken)
    {
        var manifest = await GetManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{repository}@{digest} does not exist in the registry, so it cannot be tagged {tag}.");
        await PutManifestAsync(repository, tag, manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores <paramref name="manifest"/> under <paramref name="tag"/> and returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string tag, RegistryManifestBlob manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var response = await SendAsync(repository, "pull,push", () => new HttpRequestMessage(HttpMethod.Put, ManifestUri(repository, tag))
        {
            Content = new ByteArrayContent(manifest.Content) { Headers = { ContentType = new MediaTypeHeaderValue(manifest.MediaType) } },
        }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"tagging {repository}:{tag}", cancellationToken).ConfigureAwait(false);
        return manifest.Digest;
    }

    /// <summary>Uploads a blob (monolithic POST then PUT) unless the registry has it; returns its digest.</summary>
    public async Task<string> PutBlobAsync(string repository, byte[] content, CancellationToken cancellationToken)
    {
        var digest = DigestOf(content);
        using (var head = await SendAsync(repository, "pull", () => new HttpRequestMessage(HttpMethod.Head, BaseUri(repository, $"blobs/{digest}")), cancellationToken).ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                return digest;
            }
        }

        Uri location;
        using (var start = await SendAsync(repository, "pull,push", () => new HttpRequestMessage(HttpMethod.Post, BaseUri(repository, "blobs/uploads/")), cancellationToken).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(start, $"starting a blob upload to {repository}", cancellationToken).ConfigureAwait(false);
            var header = start.Headers.Location ?? throw new InvalidOperationException($"The registry gave no upload location for {repository}.");
            location = header.IsAbsoluteUri ? header : new Uri(BaseUri(repository, string.Empty), header);
        }

        var separator = location.Query.Length > 0 ? "&" : "?";
        using var put = await SendAsync(repository, "pull,push", () => new HttpRequestMessage(HttpMethod.Put, new Uri($"{location}{separator}digest={Uri.EscapeDataString(digest)}"))
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        }, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(put, $"uploading a blob to {repository}", cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Reads a blob, or null when the registry has none of that digest.</summary>
    public async Task<byte[]?> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(repository, "pull", () => new HttpRequestMessage(HttpMethod.Get, BaseUri(repository, $"blobs/{digest}")), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"reading blob {digest} of {repository}", cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads the artifact's blobs and tags its manifest <paramref name="tag"/>; returns the manifest's digest.</summary>
    public async Task<string> PushArtifactAsync(string repository, string tag, OciArtifact artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var configDigest = await PutBlobAsync(repository, artifact.Config.Content, cancellationToken).ConfigureAwait(false);
        var layerDigests = new List<string>();
        foreach (var layer in artifact.Layers)
        {
            layerDigests.Add(await PutBlobAsync(repository, layer.Content, cancellationToken).ConfigureAwait(false));
        }

        return await PutManifestAsync(repository, tag, artifact.Manifest(configDigest, layerDigests), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The artifact <paramref name="reference"/> names, each blob fetched and checked against its digest; null when
    /// there is no such tag, a <see cref="OciArtifactPull.Problem"/> when what it names is no whole artifact.
    /// </summary>
    public async Task<OciArtifactPull?> PullArtifactAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        var manifest = await GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return null;
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(manifest.Content) as JsonObject;
        }
        catch (JsonException exception)
        {
            return new OciArtifactPull(null, $"its OCI manifest does not read: {exception.Message}");
        }

        if (Text(root?["artifactType"]) is not { } artifactType || root!["config"] is not JsonObject config || root["layers"] is not JsonArray layers)
        {
            return new OciArtifactPull(null, "it is no OCI artifact (a manifest with an artifactType, a config and layers)");
        }

        var (configBlob, problem) = await BlobAsync(repository, config, "config", cancellationToken).ConfigureAwait(false);
        var layerBlobs = new List<OciBlob>();
        foreach (var layer in layers)
        {
            if (problem is not null)
            {
                break;
            }

            (var blob, problem) = await BlobAsync(repository, layer as JsonObject, "layer", cancellationToken).ConfigureAwait(false);
            layerBlobs.Add(blob!);
        }

        if (problem is not null)
        {
            return new OciArtifactPull(null, problem);
        }

        var annotations = (root["annotations"] as JsonObject)?
            .Where(a => Text(a.Value) is not null)
            .ToDictionary(a => a.Key, a => Text(a.Value)!, StringComparer.Ordinal) ?? [];
        return new OciArtifactPull(new OciArtifact(artifactType, configBlob!, layerBlobs) { Annotations = annotations }, null);
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A descriptor's blob, checked against its digest (an empty descriptor's content is known), or why it cannot be had.</summary>
    private async Task<(OciBlob? Blob, string? Problem)> BlobAsync(string repository, JsonObject? descriptor, string what, CancellationToken cancellationToken)
    {
        var mediaType = Text(descriptor?["mediaType"]);
        var digest = Text(descriptor?["digest"]);
        if (mediaType is null || digest is null || !digest.StartsWith("sha256:", StringComparison.Ordinal))
        {
            return (null, $"its {what} has no media type or sha256 digest");
        }

        var content = await GetBlobAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return (null, $"its {what} blob ({mediaType}) is missing");
        }

        return DigestOf(content) == digest ? (new OciBlob(mediaType, content), null) : (null, $"its {what} blob ({mediaType}) does not match its digest");
    }

    /// <summary>A string property, or null when it is missing or of another kind (a damaged manifest is no exception).</summary>
    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Plain HTTP for loopback registries, as the engine allows them without TLS; HTTPS everywhere else.</summary>
    public static string SchemeOf(string registry)
    {
        var host = registry.StartsWith('[') ? registry[..(registry.IndexOf(']') + 1)] : registry.Split(':')[0];
        return host is "localhost" or "127.0.0.1" or "[::1]" ? "http" : "https";
    }

    private static Uri BaseUri(string repository, string path)
    {
        var registry = ImageReference.RegistryOf(repository);
        return new Uri($"{SchemeOf(registry)}://{registry}/v2/{ImageReference.PathOf(repository)}/{path}");
    }

    private static Uri ManifestUri(string repository, string reference) => BaseUri(repository, $"manifests/{reference}");

    /// <summary>Sends with the authorization learnt for the repository; on a 401 follows the challenge once and retries.</summary>
    private async Task<HttpResponseMessage> SendAsync(string repository, string actions, Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        var key = $"{repository} {actions}";
        using (var first = create())
        {
            if (_authorizations.TryGetValue(key, out var known))
            {
                first.Headers.Authorization = known;
            }

            var response = await http.SendAsync(first, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault() is not { } challenge)
            {
                return response;
            }

            response.Dispose();
            _authorizations[key] = await AuthorizeAsync(challenge, repository, actions, cancellationToken).ConfigureAwait(false);
        }

        using var retry = create();
        retry.Headers.Authorization = _authorizations[key];
        return await http.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(AuthenticationHeaderValue challenge, string repository, string actions, CancellationToken cancellationToken)
    {
        var basic = credentials.IsAnonymous ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return basic ?? throw new InvalidOperationException($"The registry of {repository} wants a login: set {credentials.Source}.");
        }

        var parameters = ChallengeParameter().Matches(challenge.Parameter ?? string.Empty).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
        if (!parameters.TryGetValue("realm", out var realm))
        {
            throw new InvalidOperationException($"The registry of {repository} sent a {challenge.Scheme} challenge without a realm.");
        }

        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString($"repository:{ImageReference.PathOf(repository)}:{actions}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{realm}?{string.Join('&', query)}"));
        request.Headers.Authorization = basic;
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"getting a registry token for {repository}", cancellationToken).ConfigureAwait(false);
        using var token = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        // Distribution's token spec names it "token"; OAuth-style services "access_token".
        var value = token.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null;
        if (value is null && token.RootElement.TryGetProperty("access_token", out var a))
        {
            value = a.GetString();
        }
        return new AuthenticationHeaderValue("Bearer", value ?? throw new InvalidOperationException($"The token service {realm} returned no token for {repository}."));
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? $" Check {credentials.Source} (the token needs push rights for writing)." : string.Empty;
        throw new InvalidOperationException($"The registry refused {what}: {(int)response.StatusCode} {response.ReasonPhrase} {body.Trim()}.{hint}".Replace(" .", ".", StringComparison.Ordinal));
    }

    [GeneratedRegex("(?<key>[a-zA-Z_]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex ChallengeParameter();
}
