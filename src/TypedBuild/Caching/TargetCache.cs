using TypedBuild.Definition;

namespace TypedBuild.Caching;

/// <summary>
/// The cache's answer for one target: its fingerprint, and either the entry to restore (<paramref name="FromRemote"/>
/// when it was just pulled from the remote store) or why there is none.
/// </summary>
internal sealed record CacheLookup(CacheFingerprint Fingerprint, CacheEntry? Hit, string? MissReason, bool FromRemote = false)
{
    public bool IsHit => Hit is not null;
}

/// <summary>
/// The content-addressed target cache: a target that declares inputs is looked up by the hash of them right before
/// it would run; a hit restores its outputs and notes instead, a miss says which input differs from the target's
/// newest entry (Bazel's explain), and a success records a new entry. With a remote store, a local miss asks it (a
/// hit lands in the local store first) and a new entry is pushed to it.
/// </summary>
internal sealed class TargetCache(LocalCacheStore store, CacheKeyCalculator keys, AbsolutePath root, ISecretMasker masker, RemoteCacheStore? remote = null) : IDisposable
{
    public LocalCacheStore Store { get; } = store;

    public RemoteCacheStore? Remote { get; } = remote;

    public void Dispose() => Remote?.Dispose();

    public async Task<CacheLookup> LookUpAsync(ExecutableTarget target, CancellationToken cancellationToken)
    {
        var fingerprint = await keys.ComputeAsync(target, cancellationToken).ConfigureAwait(false);
        var entry = Store.TryRead(fingerprint.Key);
        var fromRemote = false;
        if (entry is null && Remote is not null)
        {
            entry = await Remote.PullAsync(fingerprint.Key, Store, cancellationToken).ConfigureAwait(false);
            fromRemote = entry is not null;
        }

        if (entry is not null && entry.KeptInPlaceDigest == KeptInPlaceDigest(target))
        {
            return new CacheLookup(fingerprint, entry, null, fromRemote);
        }

        var reason = entry is not null
            ? $"its outputs kept in place ({string.Join(", ", target.Cache.OutputsKeptInPlace)}) changed or are missing since entry {entry.ShortKey}"
            : Explain(fingerprint, Store.Newest(target.Name));
        return new CacheLookup(fingerprint, null, reason);
    }

    /// <summary>
    /// Outputs back in place (untouched when they already are), then what lives outside the repository, then what the
    /// body would have left in memory. Returns what could not be brought back from outside (the target must run), or
    /// null when the target is restored.
    /// </summary>
    public async Task<OutsideOutput?> RestoreAsync(ExecutableTarget target, CacheEntry entry, CancellationToken cancellationToken)
    {
        var current = FileSet.Match(root, target.Cache.Outputs);
        var inPlace = current.Count == entry.Outputs.Count
            && entry.Outputs.All(o => current.Contains(o.Path) && FileSet.Digest(root / o.Path) == o.Digest);
        if (!inPlace)
        {
            Store.Restore(entry, root, target.Cache.Outputs);
        }

        foreach (var outside in target.Cache.OutputsOutside)
        {
            if (!await outside.Restore(cancellationToken).ConfigureAwait(false))
            {
                return outside;
            }
        }

        foreach (var restored in target.Cache.Restored)
        {
            restored();
        }

        return null;
    }

    /// <summary>Stores the entry locally, then pushes it to the remote store (which never fails the build).</summary>
    public async Task<CacheEntry> RecordAsync(ExecutableTarget target, CacheFingerprint fingerprint, IReadOnlyList<KeyValuePair<string, string>> notes, CancellationToken cancellationToken)
    {
        var entry = Store.Write(
            fingerprint,
            root,
            FileSet.Match(root, target.Cache.Outputs),
            notes.Select(n => new CachedNote(n.Key, n.Value)).ToList(),
            KeptInPlaceDigest(target),
            masker);
        if (Remote is not null)
        {
            await Remote.PushAsync(entry, Store, cancellationToken).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>The first input, in declaration order, that differs from <paramref name="newest"/>.</summary>
    internal static string Explain(CacheFingerprint now, CacheEntry? newest)
    {
        if (newest is null)
        {
            return $"no entry for {now.Target} yet";
        }

        var before = newest.Inputs.ToDictionary(i => (i.Kind, i.Name));
        foreach (var input in now.Inputs)
        {
            if (!before.TryGetValue((input.Kind, input.Name), out var old))
            {
                if (input.Kind == "files")
                {
                    // "No file matches" says less than the removed file named below.
                    continue;
                }

                return input.Kind == "file" ? $"file {input.Name} is new since entry {newest.ShortKey}" : $"{input.Describe()} was not an input of entry {newest.ShortKey}";
            }

            if (old.Digest != input.Digest)
            {
                var values = input.Kind == "file" || old.Display == input.Display ? string.Empty : $" ({old.Display} -> {input.Display})";
                return input.Kind == "build" ? $"{input.Display} changed since entry {newest.ShortKey}" : $"{input.Describe()} changed{values} since entry {newest.ShortKey}";
            }
        }

        var current = now.Inputs.Select(i => (i.Kind, i.Name)).ToHashSet();
        if (newest.Inputs.FirstOrDefault(i => !current.Contains((i.Kind, i.Name))) is { } removed)
        {
            return removed.Kind == "file" ? $"file {removed.Name} was removed since entry {newest.ShortKey}" : $"{removed.Describe()} is no input any more since entry {newest.ShortKey}";
        }

        return now.Inputs.FirstOrDefault(i => i.Kind == "files" && !before.ContainsKey((i.Kind, i.Name))) is { } empty
            ? $"no file matches {empty.Name} any more since entry {newest.ShortKey}"
            : $"entry {newest.ShortKey} has the same inputs but is gone";
    }

    private string? KeptInPlaceDigest(ExecutableTarget target)
    {
        if (target.Cache.OutputsKeptInPlace.Count == 0)
        {
            return null;
        }

        var files = FileSet.Match(root, target.Cache.OutputsKeptInPlace);
        return files.Count == 0 ? "none" : FileSet.Digest(files.Select(f => $"{f}\0{FileSet.Digest(root / f)}"));
    }
}
