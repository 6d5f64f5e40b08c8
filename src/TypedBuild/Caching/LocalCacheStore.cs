using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TypedBuild.Execution;

namespace TypedBuild.Caching;

internal sealed record CachedNote(string Key, string Value);

internal sealed record CachedFile(string Path, string Digest, long Size);

/// <summary>What an entry records: the inputs it was made from, the notes to replay and the stored output files.</summary>
internal sealed record CacheEntry(
    int Format,
    string Target,
    string Key,
    DateTimeOffset Created,
    IReadOnlyList<CacheInput> Inputs,
    IReadOnlyList<CachedNote> Notes,
    IReadOnlyList<CachedFile> Outputs,
    string? KeptInPlaceDigest,
    string? ArchiveDigest)
{
    public string ShortKey => Key[..12];
}

/// <summary>
/// The local store, under the git-ignored <c>.nuke/temp/cache</c>: one folder per key holding <c>entry.json</c> and
/// <c>outputs.zip</c>. An entry is written into <c>incoming/</c> and renamed into place in one step, so a reader
/// never sees half an entry and two builds writing the same key at once both end with one whole entry. An entry
/// that does not read back whole (missing or unreadable manifest, archive of another digest) is a miss with a
/// warning and is removed. Above <see cref="MaxBytes"/> the least recently used entries go.
/// </summary>
internal sealed class LocalCacheStore(AbsolutePath directory, long maxBytes, Action<string> warn)
{
    public const long DefaultMaxBytes = 2L * 1024 * 1024 * 1024;

    private const string ManifestName = "entry.json";
    private const string ArchiveName = "outputs.zip";
    private const string UsedName = "used";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public AbsolutePath Directory { get; } = directory;

    public long MaxBytes { get; } = maxBytes;

    private AbsolutePath Entries => Directory / "entries";

    /// <summary>The whole entry for <paramref name="key"/>, or null; a damaged one is reported and removed.</summary>
    public CacheEntry? TryRead(string key)
    {
        var folder = Entries / key;
        if (!System.IO.Directory.Exists(folder))
        {
            return null;
        }

        var problem = Check(folder, key, out var entry);
        if (problem is not null)
        {
            warn($"Cache entry {key[..12]} is damaged ({problem}); it is removed and the target runs.");
            Remove(folder);
            return null;
        }

        File.WriteAllText(folder / UsedName, string.Empty);
        return entry;
    }

    /// <summary>
    /// Stores an entry fetched from elsewhere (the remote store) through the same incoming-then-rename step as
    /// <see cref="Write"/>, once its manifest reads whole, records <paramref name="key"/> and the archive is the one
    /// it names; otherwise returns null and says why in <paramref name="problem"/>.
    /// </summary>
    public CacheEntry? Import(string key, byte[] manifest, byte[]? archive, out string? problem)
    {
        var incoming = Directory / "incoming" / Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(incoming);
        try
        {
            File.WriteAllBytes(incoming / ManifestName, manifest);
            if (archive is not null)
            {
                File.WriteAllBytes(incoming / ArchiveName, archive);
            }

            problem = Check(incoming, key, out var entry);
            if (problem is not null)
            {
                return null;
            }

            File.WriteAllText(incoming / UsedName, string.Empty);
            MoveIntoPlace(incoming, key);
            Evict(keep: key);
            return entry;
        }
        finally
        {
            Remove(incoming);
        }
    }

    /// <summary>The stored manifest and, when the entry has output files, their archive: what the remote store uploads.</summary>
    public (AbsolutePath Manifest, AbsolutePath? Archive) FilesOf(CacheEntry entry)
    {
        var folder = Entries / entry.Key;
        return (folder / ManifestName, entry.ArchiveDigest is null ? null : folder / ArchiveName);
    }

    /// <summary>The most recently recorded whole entry of <paramref name="target"/>, for explaining a miss.</summary>
    public CacheEntry? Newest(string target)
    {
        if (!System.IO.Directory.Exists(Entries))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(Entries)
            .Select(folder => ReadEntry(AbsolutePath.Create(folder)).Entry)
            .Where(entry => entry?.Target == target)
            .MaxBy(entry => entry!.Created);
    }

    /// <summary>Stores the outputs (masked where they hold a secret) with the manifest, then evicts what no longer fits.</summary>
    public CacheEntry Write(CacheFingerprint fingerprint, AbsolutePath root, IReadOnlyList<string> outputs, IReadOnlyList<CachedNote> notes, string? keptInPlaceDigest, ISecretMasker masker)
    {
        var incoming = Directory / "incoming" / Guid.NewGuid().ToString("N");
        System.IO.Directory.CreateDirectory(incoming);
        try
        {
            var files = new List<CachedFile>();
            string? archiveDigest = null;
            if (outputs.Count > 0)
            {
                using (var archive = ZipFile.Open(incoming / ArchiveName, ZipArchiveMode.Create))
                {
                    foreach (var output in outputs)
                    {
                        var bytes = MaskedContent(root / output, masker);
                        var zipped = archive.CreateEntry(output, CompressionLevel.Fastest);
                        using (var stream = zipped.Open())
                        {
                            stream.Write(bytes);
                        }

                        files.Add(new CachedFile(output, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.Length));
                    }
                }

                archiveDigest = FileSet.Digest(incoming / ArchiveName);
            }

            var entry = new CacheEntry(CacheKeyCalculator.Format, fingerprint.Target, fingerprint.Key, DateTimeOffset.UtcNow, fingerprint.Inputs, notes, files, keptInPlaceDigest, archiveDigest);
            File.WriteAllText(incoming / ManifestName, JsonSerializer.Serialize(entry, Json));
            File.WriteAllText(incoming / UsedName, string.Empty);
            MoveIntoPlace(incoming, fingerprint.Key);
            Evict(keep: fingerprint.Key);
            return entry;
        }
        finally
        {
            Remove(incoming);
        }
    }

    /// <summary>Renames a whole entry from <c>incoming/</c> into place, replacing an entry of the same key.</summary>
    private void MoveIntoPlace(AbsolutePath incoming, string key)
    {
        System.IO.Directory.CreateDirectory(Entries);
        var final = Entries / key;
        if (System.IO.Directory.Exists(final))
        {
            // An entry of the same key whose outputs kept in place no longer match: the new one replaces it.
            TryMove(final, Directory / "incoming" / Guid.NewGuid().ToString("N"), out var replaced);
            Remove(replaced);
        }

        // Another build may store the same key at the same moment: same inputs, so either entry will do.
        TryMove(incoming, final, out _);
    }

    /// <summary>Why the entry in <paramref name="folder"/> is not a whole entry of <paramref name="key"/>, or null when it is.</summary>
    private static string? Check(AbsolutePath folder, string key, out CacheEntry? entry)
    {
        (entry, var problem) = ReadEntry(folder);
        if (problem is null && entry!.Key != key)
        {
            problem = $"it records key {entry.Key[..Math.Min(12, entry.Key.Length)]}";
        }

        if (problem is null && entry!.ArchiveDigest is { } expected && (!File.Exists(folder / ArchiveName) || FileSet.Digest(folder / ArchiveName) != expected))
        {
            problem = "its outputs archive is missing or damaged";
        }

        return problem;
    }

    /// <summary>Puts the entry's files back: whatever the outputs' globs match now is replaced by what the entry stored.</summary>
    public void Restore(CacheEntry entry, AbsolutePath root, IReadOnlyList<string> outputGlobs)
    {
        if (entry.ArchiveDigest is null)
        {
            return;
        }

        foreach (var stale in FileSet.Match(root, outputGlobs))
        {
            File.Delete(root / stale);
        }

        using var archive = ZipFile.OpenRead(Entries / entry.Key / ArchiveName);
        foreach (var file in archive.Entries)
        {
            var target = AbsolutePath.Create(Path.GetFullPath(Path.Combine(root, file.FullName)));
            if (!target.ToString().StartsWith(root.ToString() + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"Cache entry {entry.ShortKey} holds a path outside the repository: {file.FullName}");
            }

            System.IO.Directory.CreateDirectory(target.Parent);
            file.ExtractToFile(target, overwrite: true);
        }
    }

    /// <summary>Least recently used first, until the store fits; the entry just written stays.</summary>
    public void Evict(string? keep = null)
    {
        if (!System.IO.Directory.Exists(Entries))
        {
            return;
        }

        var entries = System.IO.Directory.EnumerateDirectories(Entries)
            .Select(folder => new DirectoryInfo(folder))
            .Select(folder => (Folder: folder, Used: File.GetLastWriteTimeUtc(Path.Combine(folder.FullName, UsedName)), Size: SizeOf(folder)))
            .OrderBy(e => e.Used)
            .ToList();
        var total = entries.Sum(e => e.Size);
        foreach (var (folder, _, size) in entries)
        {
            if (total <= MaxBytes)
            {
                break;
            }

            if (folder.Name != keep)
            {
                Remove(AbsolutePath.Create(folder.FullName));
                total -= size;
            }
        }
    }

    /// <summary>
    /// The bytes of an entry's files. Another build may be replacing a file of it (its use stamp, a whole entry) while
    /// this one counts: a file that is gone by then counts nothing.
    /// </summary>
    private static long SizeOf(DirectoryInfo folder)
    {
        long size = 0;
        try
        {
            foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                try
                {
                    size += file.Length;
                }
                catch (FileNotFoundException)
                {
                    // Replaced or removed since it was listed: it no longer takes room here.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The whole entry was replaced or evicted meanwhile.
        }

        return size;
    }

    private static (CacheEntry? Entry, string? Problem) ReadEntry(AbsolutePath folder)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(folder / ManifestName), Json);
            return entry is null || entry.Format != CacheKeyCalculator.Format || entry.Key is null || entry.Inputs is null || entry.Outputs is null || entry.Notes is null
                ? (null, "its manifest is incomplete or of another format")
                : (entry, null);
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return (null, $"its manifest does not read: {exception.Message}");
        }
    }

    private static void TryMove(AbsolutePath from, AbsolutePath to, out AbsolutePath moved)
    {
        moved = to;
        try
        {
            System.IO.Directory.Move(from, to);
        }
        catch (IOException)
        {
            moved = from;
        }
    }

    private static byte[] MaskedContent(AbsolutePath file, ISecretMasker masker)
        => ArtifactMasking.ReadText(file) is { } text && masker.Mask(text) is var masked && masked != text
            ? new UTF8Encoding(false).GetBytes(masked)
            : File.ReadAllBytes(file);

    private static void Remove(AbsolutePath folder)
    {
        try
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another build may be reading it; eviction tries again next time.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
