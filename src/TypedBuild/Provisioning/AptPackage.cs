using System.Runtime.CompilerServices;
using TypedBuild.Processes;

namespace TypedBuild.Provisioning;

/// <summary>
/// A Debian package that provides <paramref name="executable"/>. Present when the executable is on PATH; installed
/// with <c>apt-get install -y</c> when the build runs on Debian as root, or as a user whom <c>sudo</c> lets in without a
/// password (GitHub's hosted runners), through <c>sudo -n</c>. The package lists are refreshed once per build.
/// </summary>
public sealed class AptPackage(string package, string executable) : IToolRequirement
{
    /// <summary>One <c>apt-get update</c> per build: the context is created once per build.</summary>
    private static readonly ConditionalWeakTable<ProvisioningContext, Lazy<Task>> Updates = [];

    public string Package { get; } = package;

    public string Executable { get; } = executable;

    public string Name => $"{Executable} (Debian package {Package})";

    public string InstallCommand => $"sudo apt-get install -y {Package}";

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => Task.FromResult(Check(context));

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (Executables.FindOnPath(Executable) is not null)
        {
            return null;
        }

        var check = Check(context);
        if (check.State == RequirementState.Missing)
        {
            throw new InvalidOperationException($"{check.Detail} Install it with: {check.InstallHint}");
        }

        var update = Updates.GetValue(context, c => new Lazy<Task>(() => RunAptAsync(c, ["update", "-q"], cancellationToken)));
        await update.Value.ConfigureAwait(false);
        await RunAptAsync(context, ["install", "-y", "-q", "--no-install-recommends", Package], cancellationToken).ConfigureAwait(false);
        if (Executables.FindOnPath(Executable) is null)
        {
            throw new InvalidOperationException($"apt-get installed {Package}, but '{Executable}' is still not on PATH.");
        }

        return null;
    }

    /// <summary>apt-get as root, or through <c>sudo -n env</c> (sudo drops the caller's environment) for a non-root build.</summary>
    private static Task<ProcessResult> RunAptAsync(ProvisioningContext context, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        => context.IsRoot
            ? context.Processes.RunAsync("apt-get", arguments, new ProcessOptions { Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" } }, cancellationToken)
            : context.Processes.RunAsync("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", .. arguments], cancellationToken: cancellationToken);

    public string? UnmetOn(DeclaredMachine machine)
        => machine.Has(Executable) || machine.InstallsDebianPackages ? null : $"'{Executable}' (Debian package {Package}) is not on it";

    internal RequirementCheck Check(ProvisioningContext context)
    {
        if (Executables.FindOnPath(Executable) is { } path)
        {
            return RequirementCheck.Present(path);
        }

        if (context.IsRoot && context.IsDebian)
        {
            return RequirementCheck.Installable($"will run: apt-get install -y {Package}");
        }

        if (context.IsDebian && context.HasPasswordlessSudo)
        {
            return RequirementCheck.Installable($"will run: sudo -n apt-get install -y {Package}");
        }

        return context.IsDebian
            ? RequirementCheck.Missing($"'{Executable}' is not on PATH, the build is not running as root, and sudo asks for a password.", InstallCommand)
            : RequirementCheck.Missing(
                $"'{Executable}' is not on PATH and this is not Debian, so the build cannot install it.",
                $"install the package that provides '{Executable}' with your package manager (Debian: {InstallCommand})");
    }
}
