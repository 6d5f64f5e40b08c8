using System.Security.Cryptography;
using System.Text.Json;
using TypedBuild.Processes;

namespace TypedBuild.Provisioning;

/// <summary>
/// The npm packages pinned by a committed <c>package.json</c> + <c>package-lock.json</c> (e.g. <c>build/tools/</c>),
/// installed with <c>npm ci</c> into <c>.tools/npm/&lt;name&gt;</c> so the source folder stays clean. Present when
/// the installed lock file hash matches the committed one.
/// </summary>
public sealed class NpmPackages(AbsolutePath packageJsonDirectory) : IToolRequirement
{
    private const string StampFile = ".package-lock.sha256";

    public AbsolutePath PackageJsonDirectory { get; } = packageJsonDirectory;

    public string Name => $"npm packages of {PackageJsonDirectory.Name}/package.json";

    public AbsolutePath InstallDirectory(ProvisioningContext context) => context.ToolsDirectory / "npm" / PackageName();

    /// <summary>An executable a package installs into <c>node_modules/.bin</c>.</summary>
    public AbsolutePath BinPath(ProvisioningContext context, string command) => InstallDirectory(context) / "node_modules" / ".bin" / command;

    /// <summary>A file inside an installed package, e.g. <c>ModulePath(ctx, "gitlab-ci-local/dist/index.js")</c>.</summary>
    public AbsolutePath ModulePath(ProvisioningContext context, string path) => InstallDirectory(context) / "node_modules" / path;

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        var lockFile = PackageJsonDirectory / "package-lock.json";
        if (!(PackageJsonDirectory / "package.json").Exists || !lockFile.Exists)
        {
            return Task.FromResult(RequirementCheck.Missing(
                $"{PackageJsonDirectory} needs a committed package.json and package-lock.json.",
                $"cd {PackageJsonDirectory} && npm install --package-lock-only"));
        }

        if (IsInstalled(context))
        {
            return Task.FromResult(RequirementCheck.Present(InstallDirectory(context)));
        }

        return Task.FromResult(Executables.FindOnPath("npm") is null
            ? RequirementCheck.Missing("npm is not on PATH.", "sudo apt-get install -y npm (or install Node.js from https://nodejs.org)")
            : RequirementCheck.Installable($"will run: npm ci in {InstallDirectory(context)}"));
    }

    public string? UnmetOn(DeclaredMachine machine) => machine.CannotFetchFromNpm($"the npm packages of {PackageJsonDirectory.Name}/package.json");

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (IsInstalled(context))
        {
            return null;
        }

        var target = InstallDirectory(context);
        Directory.CreateDirectory(target);
        File.Copy(PackageJsonDirectory / "package.json", target / "package.json", overwrite: true);
        File.Copy(PackageJsonDirectory / "package-lock.json", target / "package-lock.json", overwrite: true);
        await context.Processes.RunAsync(
            "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], new ProcessOptions { WorkingDirectory = target }, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(target / StampFile, LockHash(), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private bool IsInstalled(ProvisioningContext context)
    {
        var stamp = InstallDirectory(context) / StampFile;
        return stamp.Exists && File.ReadAllText(stamp) == LockHash();
    }

    private string LockHash() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(PackageJsonDirectory / "package-lock.json")));

    private string PackageName()
    {
        var manifest = PackageJsonDirectory / "package.json";
        if (manifest.Exists)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            if (document.RootElement.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } value)
            {
                return value.Replace('/', '+');
            }
        }

        return PackageJsonDirectory.Name;
    }
}
