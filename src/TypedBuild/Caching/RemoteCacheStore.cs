using System.Collections.Concurrent;
using System.Text.Json;
using TypedBuild.Registries;

namespace TypedBuild.Caching;

/// <summary>
/// The remote store: each entry is an OCI artifact in one repository of a registry, tagged with its key, whose config
/// blob is the entry's manifest (<c>entry.json</c>) and whose one layer is its <c>outputs.zip</c>. Keys name inputs,
/// so two builds pushing the same tag push equivalent entries and either may win. A pulled entry is checked against
/// the digests the artifact names and then by the local store as it imports it; anything that does not add up is a
/// miss with a warning, and this build's entry of that key replaces it. The first time the registry cannot be reached or answers an error, the build is told once
/// and goes on with the local store alone.
/// </summary>
internal sealed class RemoteCacheStore : IDisposable
{
    public const string ArtifactType = "application/vnd.typedbuild.cache.v1";
    public const string EntryMediaType = "application/vnd.typedbuild.cache.entry.v1+json";
    public const string OutputsMediaType = "application/vnd.typedbuild.cache.outputs.v1+zip";

    private readonly HttpClient _http;
    private readonly OciRegistry _registry;
    private readonly Action<string> _warn;
    private readonly ConcurrentDictionary<string, bool> _damaged = new(StringComparer.Ordinal);
    private int _unavailable;

    public RemoteCacheStore(string repository, RegistryCredentials credentials, bool readOnly, Action<string> warn)
    {
        Repository = repository;
        IsReadOnly = readOnly;
        _warn = warn;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromMinutes(2) };
        _registry = new OciRegistry(_http, credentials);
    }

    /// <summary><c>registry/repository</c>, e.g. <c>ghcr.io/owner/build-cache</c>.</summary>
    public string Repository { get; }

    /// <summary>Pulls but never pushes: pull-request builds, and builds asked to.</summary>
    public bool IsReadOnly { get; }

    public void Dispose() => _http.Dispose();

    /// <summary>The entry of <paramref name="key"/>, fetched, verified and written into <paramref name="local"/>; null on a miss.</summary>
    public async Task<CacheEntry?> PullAsync(string key, LocalCacheStore local, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _unavailable) != 0)
        {
            return null;
        }

        try
        {
            if (await _registry.PullArtifactAsync(Repository, key, cancellationToken).ConfigureAwait(false) is not { } pull)
            {
                return null;
            }

            var (entryBytes, archive, problem) = EntryOf(pull);
            var entry = problem is null ? local.Import(key, entryBytes!, archive, out problem) : null;
            if (entry is null)
            {
                _damaged[key] = true;
                _warn($"Remote cache entry {key[..12]} in {Repository} is damaged ({problem}); it counts as a miss and the target runs.");
            }

            return entry;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _warn($"Could not store remote cache entry {key[..12]} in the local store ({exception.Message}); the target runs.");
            return null;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            BecameUnavailable(exception);
            return null;
        }
    }

    /// <summary>Uploads the entry just recorded in <paramref name="local"/>, unless read-only or the registry has that key already.</summary>
    public async Task PushAsync(CacheEntry entry, LocalCacheStore local, CancellationToken cancellationToken)
    {
        if (IsReadOnly || Volatile.Read(ref _unavailable) != 0)
        {
            return;
        }

        try
        {
            // A whole entry of the same key is as good as this one; a damaged one is replaced.
            if (!_damaged.ContainsKey(entry.Key) && await _registry.DigestOfAsync(Repository, entry.Key, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            var (manifestFile, archiveFile) = local.FilesOf(entry);
            var config = new OciBlob(EntryMediaType, await File.ReadAllBytesAsync(manifestFile, cancellationToken).ConfigureAwait(false));
            var outputs = archiveFile is null ? OciBlob.Empty : new OciBlob(OutputsMediaType, await File.ReadAllBytesAsync(archiveFile, cancellationToken).ConfigureAwait(false));
            var artifact = new OciArtifact(ArtifactType, config, [outputs]) { Annotations = new Dictionary<string, string> { ["dev.typedbuild.cache.target"] = entry.Target } };
            await _registry.PushArtifactAsync(Repository, entry.Key, artifact, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            // The local entry was replaced or evicted by another build meanwhile: the next miss pushes it.
            _warn($"Could not push cache entry {entry.ShortKey} to {Repository}: {exception.Message}");
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            BecameUnavailable(exception);
        }
    }

    /// <summary>The entry manifest and archive of a pulled artifact, or why they cannot be used.</summary>
    private static (byte[]? Entry, byte[]? Archive, string? Problem) EntryOf(OciArtifactPull pull)
    {
        if (pull.Artifact is not { } artifact)
        {
            return (null, null, pull.Problem);
        }

        if (artifact.ArtifactType != ArtifactType)
        {
            return (null, null, $"it is no {ArtifactType} artifact");
        }

        if (artifact.Config.MediaType != EntryMediaType || artifact.Layers is not [var outputs])
        {
            return (null, null, "its OCI manifest does not have one entry manifest and one outputs layer");
        }

        return (artifact.Config.Content, outputs.IsEmpty ? null : outputs.Content, null);
    }

    /// <summary>
    /// The registry could not be reached, timed out, refused or answered an error: none of that may fail the build.
    /// A cancelled build stays cancelled.
    /// </summary>
    private static bool IsUnavailable(Exception exception, CancellationToken cancellationToken)
        => exception is HttpRequestException or InvalidOperationException or JsonException or UriFormatException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private void BecameUnavailable(Exception exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            var reason = exception is TaskCanceledException ? "it did not answer in time" : exception.Message;
            _warn($"The remote cache store {Repository} is unavailable ({reason}); this build goes on with the local cache store only.");
        }
    }
}
