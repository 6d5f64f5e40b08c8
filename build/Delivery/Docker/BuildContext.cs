using System.Formats.Tar;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// The files <c>docker build</c> would send for a context directory: everything <c>.dockerignore</c> does not
/// exclude, plus the Dockerfile and <c>.dockerignore</c> themselves (the engine needs them even when excluded, as
/// the Docker CLI does it). Excluded directories are not walked unless an exception could re-include something below.
/// </summary>
public sealed class BuildContext
{
    private BuildContext(string directory, IReadOnlyList<string> entries)
    {
        Directory = directory;
        Entries = entries;
    }

    public string Directory { get; }

    /// <summary>Context-relative, <c>/</c>-separated paths of the files, directories and links sent, in tar order.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>Total size of the regular files sent, in bytes.</summary>
    public long ContentLength => Entries.Select(Full).Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public static BuildContext Collect(string contextDirectory, string dockerfile)
    {
        if (!System.IO.Directory.Exists(contextDirectory))
        {
            throw new DirectoryNotFoundException($"The Docker build context {contextDirectory} does not exist.");
        }

        var ignore = DockerIgnore.Load(contextDirectory);
        var entries = new List<string>();
        Walk(contextDirectory, string.Empty, ignore, entries);

        foreach (var required in new[] { dockerfile.Replace('\\', '/'), DockerIgnore.FileName })
        {
            if (!entries.Contains(required) && File.Exists(Path.Combine(contextDirectory, required)))
            {
                entries.Add(required);
            }
        }

        if (!File.Exists(Path.Combine(contextDirectory, dockerfile)))
        {
            throw new FileNotFoundException($"The Dockerfile '{dockerfile}' is not in the build context {contextDirectory}.");
        }

        return new BuildContext(contextDirectory, entries);
    }

    /// <summary>Writes the context as the (uncompressed) tar stream the engine's build API expects.</summary>
    public async Task WriteTarAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in Entries)
        {
            await writer.WriteEntryAsync(Full(entry), entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private string Full(string entry) => Path.Combine(Directory, entry);

    private static void Walk(string root, string relativeDirectory, DockerIgnore ignore, List<string> entries)
    {
        var directory = Path.Combine(root, relativeDirectory);
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var relative = relativeDirectory.Length == 0 ? Path.GetFileName(path) : $"{relativeDirectory}/{Path.GetFileName(path)}";
            var excluded = ignore.IsExcluded(relative);
            var info = new FileInfo(path);
            var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
            if (!excluded)
            {
                entries.Add(relative);
            }

            if (isDirectory && (!excluded || ignore.MayReincludeBelow(relative)))
            {
                Walk(root, relative, ignore, entries);
            }
        }
    }
}
