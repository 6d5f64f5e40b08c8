using System.Runtime.CompilerServices;
using TypedBuild.Processes;

namespace TypedBuild.Provisioning;

/// <summary>
/// A Debian package that provides <paramref name="executable"/>. Present when the executable is on PATH; installed
/// with <c>apt-get install -y</c> when the build runs as root on Debian (the package lists are refreshed once per build).
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

        var aptOptions = new ProcessOptions { Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" } };
        var update = Updates.GetValue(context, c => new Lazy<Task>(() => c.Processes.RunAsync("apt-get", ["update", "-q"], aptOptions, cancellationToken)));
        await update.Value.ConfigureAwait(false);
        await context.Processes.RunAsync("apt-get", ["install", "-y", "-q", "--no-install-recommends", Package], aptOptions, cancellationToken).ConfigureAwait(false);
        if (Executables.FindOnPath(Executable) is null)
        {
            throw new InvalidOperationException($"apt-get installed {Package}, but '{Executable}' is still not on PATH.");
        }

        return null;
    }

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

        return context.IsDebian
            ? RequirementCheck.Missing($"'{Executable}' is not on PATH and the build is not running as root.", InstallCommand)
            : RequirementCheck.Missing(
                $"'{Executable}' is not on PATH and this is not Debian, so the build cannot install it.",
                $"install the package that provides '{Executable}' with your package manager (Debian: {InstallCommand})");
    }
}
