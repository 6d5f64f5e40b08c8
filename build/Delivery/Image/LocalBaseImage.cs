using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace ExampleService.Build.Delivery.Image;

/// <summary>Which .NET base image to stand in for.</summary>
public enum LocalBaseKind
{
    /// <summary>Like <c>runtime-deps</c>: the native libraries a self-contained .NET app needs, nothing else.</summary>
    RuntimeDeps,

    /// <summary>Like <c>aspnet</c>: runtime-deps plus the host's .NET and ASP.NET Core shared frameworks.</summary>
    AspNet,
}

/// <summary>
/// A distroless base image assembled from the host when the public .NET images cannot be pulled (no registry
/// reachable): the C/C++ runtime and OpenSSL libraries, CA certificates, the <c>app</c> user (1654) and, for
/// <see cref="LocalBaseKind.AspNet"/>, the host's .NET runtime under <c>/usr/share/dotnet</c> (for a given app, only
/// the framework assemblies it can load). No shell, no package manager. Imported with <c>docker import</c> semantics
/// (<see cref="WriteRootFilesystemAsync"/> is the tar).
/// </summary>
public sealed class LocalBaseImage
{
    public const int AppUserId = 1654;

    /// <summary>What <c>libcoreclr</c>, <c>libhostfxr</c>, the app host and SQLite link to, plus OpenSSL, dlopen'ed for TLS and hashing.</summary>
    internal static readonly string[] Libraries =
    [
        "/lib64/ld-linux-x86-64.so.2",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/lib/x86_64-linux-gnu/libdl.so.2",
        "/lib/x86_64-linux-gnu/librt.so.1",
        "/lib/x86_64-linux-gnu/libpthread.so.0",
        "/lib/x86_64-linux-gnu/libgcc_s.so.1",
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/x86_64-linux-gnu/libssl.so.3",
        "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
    ];

    /// <summary>
    /// Debugger, tracing and alternative-GC parts of the runtime: never loaded by a service in a container whose
    /// diagnostics are off (<c>DOTNET_EnableDiagnostics=0</c> in the Dockerfile).
    /// </summary>
    internal static readonly string[] RuntimeFilesLeftOut =
    [
        "createdump", "libmscordaccore.so", "libmscordbi.so", "libcoreclrtraceptprovider.so", "libclrgc.so", "libclrgcexp.so",
    ];

    /// <summary>The shared frameworks the <see cref="LocalBaseKind.AspNet"/> base carries.</summary>
    private static readonly string[] SharedFrameworks = ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"];

    private const string DotNetRoot = "/usr/share/dotnet";
    private const string CaCertificates = "/etc/ssl/certs/ca-certificates.crt";

    private LocalBaseImage(LocalBaseKind kind, string runtimeVersion, string hostDotNetRoot, IReadOnlySet<string>? frameworkAssemblies)
    {
        Kind = kind;
        RuntimeVersion = runtimeVersion;
        HostDotNetRoot = hostDotNetRoot;
        FrameworkAssemblies = frameworkAssemblies;
    }

    public LocalBaseKind Kind { get; }

    /// <summary>The host's .NET runtime version (10.0.x) the image carries or is made for.</summary>
    public string RuntimeVersion { get; }

    public string HostDotNetRoot { get; }

    /// <summary>
    /// The shared-framework assemblies the base carries (<see cref="FrameworkAssemblyClosure"/> of the app it is
    /// made for), or null for the whole framework.
    /// </summary>
    public IReadOnlySet<string>? FrameworkAssemblies { get; }

    /// <summary>Repository of the image, e.g. <c>example-service-base/aspnet</c>.</summary>
    public string Repository => $"example-service-base/{(Kind == LocalBaseKind.AspNet ? "aspnet" : "runtime-deps")}";

    /// <summary>Bumped whenever what goes into the image changes, so an engine's older base is not reused.</summary>
    internal const int Layout = 3;

    /// <summary>
    /// Tagged with the runtime version, the layout and a digest of the framework assemblies it carries, so a runtime
    /// update on the host, or an app that references more of the framework, makes a new base.
    /// </summary>
    public string Tag => $"{RuntimeVersion}-host{Layout}{(FrameworkAssemblies is null ? string.Empty : "-" + AssembliesDigest(FrameworkAssemblies))}";

    public string Name => $"{Repository}:{Tag}";

    /// <summary>The image configuration <c>docker import --change</c> applies.</summary>
    public IReadOnlyList<string> Changes =>
    [
        "ENV APP_UID=" + AppUserId,
        "ENV ASPNETCORE_HTTP_PORTS=8080",
        "ENV DOTNET_RUNNING_IN_CONTAINER=true",
        "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true",
        .. Kind == LocalBaseKind.AspNet ? [$"ENV DOTNET_ROOT={DotNetRoot}", $"ENV DOTNET_VERSION={RuntimeVersion}"] : Array.Empty<string>(),
        "WORKDIR /app",
        "USER " + AppUserId,
        "LABEL org.opencontainers.image.description=\"Local stand-in for the .NET base image, assembled from the build host\"",
    ];

    /// <summary>
    /// Describes the base for the host's newest .NET 10 runtime; an <see cref="LocalBaseKind.AspNet"/> base made for
    /// the published app in <paramref name="appDirectory"/> carries only the framework assemblies that app can load.
    /// Fails with what is missing when the host lacks the runtime or one of the libraries (then the way out is a real
    /// base image: <c>--docker-base-image</c>).
    /// </summary>
    public static LocalBaseImage ForHost(LocalBaseKind kind, string? appDirectory = null, string? hostDotNetRoot = null)
    {
        var root = hostDotNetRoot ?? HostDotNetRootDirectory();
        var runtimes = Path.Combine(root, "shared", "Microsoft.NETCore.App");
        var version = Directory.Exists(runtimes)
            ? Directory.EnumerateDirectories(runtimes, "10.*")
                .Select(Path.GetFileName)
                .OfType<string>()
                .Select(name => (Name: name, Parsed: Version.TryParse(name, out var v) ? v : null))
                .Where(v => v.Parsed is not null)
                .OrderByDescending(v => v.Parsed)
                .Select(v => v.Name)
                .FirstOrDefault()
            : null;
        if (version is null)
        {
            throw new InvalidOperationException(
                $"No .NET 10 runtime under {runtimes} to build a local base image from. Install .NET 10, or pass --docker-base-image with an image the engine has.");
        }

        var missing = Libraries.Append(CaCertificates).Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"A local base image needs these host files, which are missing: {string.Join(", ", missing)}. " +
                "Install them (Debian: apt-get install -y libstdc++6 libssl3 ca-certificates), or pass --docker-base-image with an image the engine has.");
        }

        var frameworkAssemblies = kind == LocalBaseKind.AspNet && appDirectory is not null
            ? FrameworkAssemblyClosure.Of(appDirectory, SharedFrameworkDirectories(version).Select(directory => Path.Combine(root, directory)))
            : null;
        return new LocalBaseImage(kind, version, root, frameworkAssemblies);
    }

    /// <summary>Writes the root filesystem as a tar (every entry owned by root) for the engine's image import.</summary>
    public async Task WriteRootFilesystemAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in new[] { "etc/ssl/certs", "usr/bin", "app" })
        {
            await WriteDirectoriesAsync(tar, directory, directories, cancellationToken).ConfigureAwait(false);
        }

        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = UnixFileMode.StickyBit | All }, cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(tar, "etc/passwd", $"root:x:0:0:root:/root:/sbin/nologin\napp:x:{AppUserId}:{AppUserId}:app:/app:/sbin/nologin\n", cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(tar, "etc/group", $"root:x:0:\napp:x:{AppUserId}:\n", cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(tar, "etc/nsswitch.conf", "hosts: files dns\n", cancellationToken).ConfigureAwait(false);
        await WriteHostFileAsync(tar, CaCertificates, CaCertificates, cancellationToken).ConfigureAwait(false);
        foreach (var library in Libraries)
        {
            await WriteDirectoriesAsync(tar, Path.GetDirectoryName(library)!, directories, cancellationToken).ConfigureAwait(false);
            await WriteHostFileAsync(tar, library, library, cancellationToken).ConfigureAwait(false);
        }

        if (Kind == LocalBaseKind.AspNet)
        {
            await WriteDotNetAsync(tar, directories, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The files of the runtime the image carries, relative to the host's .NET root.</summary>
    public IEnumerable<string> DotNetFiles()
    {
        if (Kind != LocalBaseKind.AspNet)
        {
            yield break;
        }

        yield return "dotnet";
        foreach (var directory in SharedFrameworkDirectories(RuntimeVersion).Prepend(Path.Combine("host", "fxr", RuntimeVersion)))
        {
            var full = Path.Combine(HostDotNetRoot, directory);
            if (!Directory.Exists(full))
            {
                throw new InvalidOperationException($"{full} is missing: the host's .NET {RuntimeVersion} install is incomplete (the ASP.NET Core runtime is needed).");
            }

            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (!RuntimeFilesLeftOut.Contains(Path.GetFileName(file)) && CanBeLoaded(file))
                {
                    yield return Path.GetRelativePath(HostDotNetRoot, file);
                }
            }
        }
    }

    /// <summary>The shared frameworks' folders of one runtime version, relative to the .NET root.</summary>
    private static IEnumerable<string> SharedFrameworkDirectories(string version) =>
        SharedFrameworks.Select(framework => Path.Combine("shared", framework, version));

    private bool CanBeLoaded(string file) =>
        FrameworkAssemblies is null
        || !file.EndsWith(".dll", StringComparison.Ordinal)
        || FrameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(file));

    private static string AssembliesDigest(IReadOnlySet<string> assemblies)
    {
        var names = string.Join('\n', assemblies.Select(name => name.ToLowerInvariant()).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(names)))[..12];
    }

    private async Task WriteDotNetAsync(TarWriter tar, HashSet<string> directories, CancellationToken cancellationToken)
    {
        foreach (var relative in DotNetFiles())
        {
            var target = $"{DotNetRoot}/{relative.Replace('\\', '/')}";
            await WriteDirectoriesAsync(tar, Path.GetDirectoryName(target)!, directories, cancellationToken).ConfigureAwait(false);
            await WriteHostFileAsync(tar, Path.Combine(HostDotNetRoot, relative), target, cancellationToken).ConfigureAwait(false);
        }

        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "usr/bin/dotnet") { LinkName = $"{DotNetRoot}/dotnet", Mode = All }, cancellationToken).ConfigureAwait(false);
    }

    private const UnixFileMode All = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode ReadAndExecute = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes a directory and its parents, each once.</summary>
    private static async Task WriteDirectoriesAsync(TarWriter tar, string path, HashSet<string> written, CancellationToken cancellationToken)
    {
        var parts = path.Replace('\\', '/').Trim('/').Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            var directory = string.Join('/', parts[..i]) + "/";
            if (written.Add(directory))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = ReadAndExecute }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteTextAsync(TarWriter tar, string path, string content, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = data,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies a host file, following links (the image gets the real library under its usual name), owned by root.</summary>
    private static async Task WriteHostFileAsync(TarWriter tar, string hostPath, string imagePath, CancellationToken cancellationToken)
    {
        var source = new FileInfo(hostPath);
        var resolved = source.LinkTarget is null ? source : (FileInfo?)source.ResolveLinkTarget(returnFinalTarget: true) ?? source;
        await using var data = resolved.OpenRead();
        var mode = resolved.UnixFileMode.HasFlag(UnixFileMode.UserExecute) ? ReadAndExecute : ReadAndExecute & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, imagePath.TrimStart('/'))
        {
            Mode = mode,
            DataStream = data,
            ModificationTime = resolved.LastWriteTimeUtc,
        };
        await tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the host's .NET lives: DOTNET_ROOT, or else the root of the runtime this build runs on.</summary>
    internal static string HostDotNetRootDirectory()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } configured && Directory.Exists(configured))
        {
            return configured;
        }

        // The runtime this build runs on: <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
    }
}
