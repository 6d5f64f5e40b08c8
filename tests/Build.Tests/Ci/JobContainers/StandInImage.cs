using System.Security.Cryptography;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Docker;
using TypedBuild;
using TypedBuild.Processes;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// A local image under a public name that cannot be pulled here, imported from a <see cref="DebianRootFilesystem"/>
/// plus host directories (<c>docker import</c> with <see cref="Changes"/>). The import carries a label with a digest of
/// what went in, so an image of that name is reused only when it is this stand-in, made from the same inputs.
/// </summary>
public sealed record StandInImage(string Name, DebianRootFilesystem RootFilesystem, IReadOnlyList<string> HostPaths, IReadOnlyList<string> Changes)
{
    public const string KeyLabel = "org.example-service.stand-in";

    private const string DebianPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Like the public SDK image: Debian, root, the .NET SDK in <c>/usr/share/dotnet</c> (the host's, which global.json
    /// accepts), git, curl, wget, ca-certificates; no node, Helm, Docker or shellcheck.
    /// </summary>
    public static StandInImage DotNetSdk { get; } = new(
        "mcr.microsoft.com/dotnet/sdk:10.0",
        new DebianRootFilesystem("bookworm", ["ca-certificates", "curl", "git", "libatomic1", "libicu72", "libssl3", "tzdata", "wget", "zlib1g"]),
        ["usr/share/dotnet", "usr/bin/dotnet"],
        [$"ENV {DebianPath}", "ENV DOTNET_RUNNING_IN_CONTAINER=true", "ENV DOTNET_USE_POLLING_FILE_WATCHER=true", "ENV NUGET_XMLDOC_MODE=skip", "CMD [\"bash\"]"]);

    /// <summary>
    /// Like GitHub's <c>ubuntu-latest</c> where the generated jobs rely on it: the user <c>runner</c> (uid 1001) with
    /// passwordless sudo, the .NET SDK, git, node and npm, shellcheck, the PostgreSQL server, a Docker client (the
    /// runner's engine is the host's, bound in) and <c>google-chrome</c> (here Debian's headless Chromium under that
    /// name), and, as there, no <c>docker-registry</c>, which the build installs. Not Helm: the build fetches its own,
    /// so the proof covers that path too.
    /// </summary>
    public static StandInImage GitHubRunner { get; } = new(
        "example-service.test/github-ubuntu-latest:stand-in",
        new DebianRootFilesystem("bookworm", ["ca-certificates", "curl", "git", "libatomic1", "libicu72", "libssl3", "tzdata", "wget", "zlib1g"])
        {
            // apt resolves what debootstrap's --include does not (npm's dependencies).
            Setup =
            [
                "apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium-headless-shell docker.io npm postgresql procps shellcheck sudo unzip && rm -rf /var/lib/apt/lists/*",
                "ln -s /usr/bin/chromium-headless-shell /usr/bin/google-chrome",
                "useradd --create-home --uid 1001 --shell /bin/bash runner",
                "echo 'runner ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/runner && chmod 0440 /etc/sudoers.d/runner",
            ],
        },
        ["usr/share/dotnet", "usr/bin/dotnet"],
        [$"ENV {DebianPath}", "USER runner", "CMD [\"bash\"]"]);

    /// <summary>
    /// gitlab-ci-local's helper (its <c>--helper-image</c> default): it chowns the job volume with <c>sh</c> and copies
    /// artifacts and caches out with <c>bash</c> and <c>rsync</c> (a missing rsync loses them silently).
    /// </summary>
    public static StandInImage GitLabCiLocalHelper { get; } = new(
        "docker.io/firecow/gitlab-ci-local-util:latest",
        new DebianRootFilesystem("bookworm", ["rsync"]),
        [],
        [$"ENV {DebianPath}", "CMD [\"bash\"]"]);

    /// <summary>A digest of the root filesystem, the image configuration and the host paths' top-level entries (for /usr/share/dotnet: the SDK and runtime versions).</summary>
    public string Key
    {
        get
        {
            var hostEntries = HostPaths.Select(path => "/" + path)
                .SelectMany<string, string>(path => Directory.Exists(path)
                    ? Directory.EnumerateDirectories(path, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }).Order(StringComparer.Ordinal)
                    : [path]);
            var inputs = string.Join('\n', [RootFilesystem.Key, .. Changes, .. hostEntries]);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs)))[..12];
        }
    }

    /// <summary>Imports the image unless the engine has this very stand-in already; returns whether it imported.</summary>
    public async Task<bool> EnsureAsync(IDockerClient docker, IProcessRunner processes, AbsolutePath toolsDirectory, IBuildLog log, CancellationToken cancellationToken)
    {
        var key = Key;
        if (await LabelAsync(docker, cancellationToken) == key)
        {
            return false;
        }

        var rootFilesystem = await RootFilesystem.EnsureAsync(processes, toolsDirectory, cancellationToken);
        var tarball = rootFilesystem;
        if (HostPaths.Count > 0)
        {
            tarball = toolsDirectory / "job-containers" / $"image-{key}.tar";
            File.Copy(rootFilesystem, tarball, overwrite: true);
            await processes.RunAsync(
                "tar",
                ["--append", "--file", tarball, "--numeric-owner", "--directory", "/", .. HostPaths],
                new ProcessOptions { LogOutput = false, Timeout = TimeSpan.FromMinutes(10) },
                cancellationToken);
        }

        try
        {
            await ImportAsync(docker, tarball, key, log, cancellationToken);
        }
        finally
        {
            if (tarball != rootFilesystem)
            {
                File.Delete(tarball);
            }
        }

        return true;
    }

    private async Task ImportAsync(IDockerClient docker, AbsolutePath tarball, string key, IBuildLog log, CancellationToken cancellationToken)
    {
        var separator = Name.LastIndexOf(':');
        var parameters = new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = Name[..separator],
            Tag = Name[(separator + 1)..],
            Changes = [.. Changes, $"LABEL {KeyLabel}={key}"],
        };
        await using var content = File.OpenRead(tarball);
        var progress = new EngineProgress(log);
        await docker.Images.CreateImageAsync(parameters, content, null, progress, cancellationToken);
        if (progress.Error is not null)
        {
            throw new InvalidOperationException($"Importing the stand-in {Name} from {tarball} failed: {progress.Error}");
        }
    }

    private async Task<string?> LabelAsync(IDockerClient docker, CancellationToken cancellationToken)
    {
        try
        {
            var image = await docker.Images.InspectImageAsync(Name, cancellationToken);
            return image.Config?.Labels is { } labels && labels.TryGetValue(KeyLabel, out var key) ? key : null;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }
}
