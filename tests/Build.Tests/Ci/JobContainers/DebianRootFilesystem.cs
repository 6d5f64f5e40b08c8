using System.Security.Cryptography;
using System.Text;
using TypedBuild;
using TypedBuild.Processes;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// A Debian root filesystem made by <c>debootstrap</c> (minbase plus <see cref="Packages"/>), kept as a tarball in
/// <c>.tools/job-containers</c> whose name is a digest of what went in, so it is made once and reused until the
/// package list, the suite, the mirror or the setup changes. Needs root and Debian's <c>debootstrap</c> (<c>.ci/run</c>
/// installs it).
/// </summary>
public sealed record DebianRootFilesystem(string Suite, IReadOnlyList<string> Packages, string Mirror = "http://deb.debian.org/debian")
{
    /// <summary>Shell commands run in the new tree (<c>chroot</c>) after the packages are in, e.g. to add a user.</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];

    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Suite}\n{Mirror}\nminbase\n{string.Join(',', Packages.Order(StringComparer.Ordinal))}{string.Concat(Setup.Select(command => "\n" + command))}")))[..12];

    public AbsolutePath Tarball(AbsolutePath toolsDirectory) => toolsDirectory / "job-containers" / $"debian-{Suite}-{Key}.tar";

    /// <summary>The tarball, made first when it is not there yet (a couple of minutes, mostly downloads).</summary>
    public async Task<AbsolutePath> EnsureAsync(IProcessRunner processes, AbsolutePath toolsDirectory, CancellationToken cancellationToken)
    {
        var tarball = Tarball(toolsDirectory);
        if (File.Exists(tarball))
        {
            return tarball;
        }

        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/debootstrap"))
        {
            throw new InvalidOperationException(
                $"The stand-in images are made from a Debian root filesystem ({tarball} is missing), which needs root and debootstrap: apt-get install debootstrap, and run as root.");
        }

        var root = toolsDirectory / "job-containers" / $"rootfs-{Key}";
        if (Directory.Exists(root))
        {
            // A debootstrap that was cut short leaves a tree it refuses to continue.
            Directory.Delete(root, recursive: true);
        }

        var quiet = new ProcessOptions { LogOutput = false, Timeout = TimeSpan.FromMinutes(15), FailureTailLines = 40 };
        await processes.RunAsync(
            "debootstrap",
            ["--variant=minbase", $"--include={string.Join(',', Packages)}", Suite, root, Mirror],
            quiet,
            cancellationToken);
        if (Setup.Count > 0)
        {
            await RunSetupAsync(processes, root, quiet, cancellationToken);
        }

        // The package cache is half the tree and no image needs it.
        Directory.Delete(root / "var" / "cache" / "apt" / "archives", recursive: true);
        Directory.CreateDirectory(root / "var" / "cache" / "apt" / "archives" / "partial");

        var partial = tarball.Value + ".partial";
        await processes.RunAsync("tar", ["--create", "--file", partial, "--numeric-owner", "--directory", root, "."], quiet, cancellationToken);
        File.Move(partial, tarball, overwrite: true);
        Directory.Delete(root, recursive: true);
        return tarball;
    }

    /// <summary>
    /// The setup commands in the tree, with what package scripts expect of a system: name resolution, <c>/proc</c>, and
    /// a <c>policy-rc.d</c> that keeps services from starting.
    /// </summary>
    private async Task RunSetupAsync(IProcessRunner processes, AbsolutePath root, ProcessOptions options, CancellationToken cancellationToken)
    {
        File.Copy("/etc/resolv.conf", root / "etc" / "resolv.conf", overwrite: true);
        var policy = root / "usr" / "sbin" / "policy-rc.d";
        await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", cancellationToken);
        await processes.RunAsync("chmod", ["0755", policy], options, cancellationToken);
        await processes.RunAsync("mount", ["-t", "proc", "proc", root / "proc"], options, cancellationToken);
        try
        {
            foreach (var command in Setup)
            {
                await processes.RunAsync("chroot", [root, "/bin/sh", "-c", command], options with { Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" } }, cancellationToken);
            }
        }
        finally
        {
            await processes.RunAsync("umount", [root / "proc"], options with { AllowNonZeroExitCode = true }, CancellationToken.None);
            File.Delete(policy);
        }
    }
}
