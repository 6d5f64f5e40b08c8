namespace TypedBuild.Provisioning;

/// <summary>
/// Something a target needs on the machine: a dotnet tool from the manifest, a binary shipped in an npm package,
/// a Debian package, a daemon the build starts and stops. Declared with <c>.Requires(tool)</c>.
/// </summary>
public interface IToolRequirement
{
    /// <summary>Short name for messages, e.g. "helm 3.18" or "PostgreSQL (throwaway cluster)".</summary>
    string Name { get; }

    /// <summary>
    /// Cheap check made before any target runs: is it present, or can the build install or start it here?
    /// A <see cref="RequirementCheck.Missing"/> result fails the build before anything runs, with its install hint.
    /// </summary>
    Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Makes it present right before the first target that needs it runs (install, restore, start). Called at most
    /// once per build. A returned lifetime is disposed when the build ends, in reverse order (stops daemons it started).
    /// </summary>
    Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Why a machine as declared (a CI job's image or runner) could not meet this requirement, or null when it could:
    /// the same rule as <see cref="CheckAsync"/>, applied to a description instead of the machine the build runs on.
    /// </summary>
    string? UnmetOn(DeclaredMachine machine);
}

public sealed record RequirementCheck(RequirementState State, string? Detail = null, string? InstallHint = null)
{
    public static RequirementCheck Present(string? detail = null) => new(RequirementState.Present, detail);

    public static RequirementCheck Installable(string detail) => new(RequirementState.Installable, detail);

    public static RequirementCheck Missing(string detail, string installHint) => new(RequirementState.Missing, detail, installHint);
}

public enum RequirementState
{
    Present,
    Installable,
    Missing,
}

/// <summary>What a requirement may use: the repository root, a git-ignored tools folder, the log, a process runner.</summary>
public sealed record ProvisioningContext(
    AbsolutePath RootDirectory,
    AbsolutePath ToolsDirectory,
    IBuildLog Log,
    Processes.IProcessRunner Processes,
    bool IsRoot,
    bool IsServerBuild)
{
    /// <summary>Debian or a derivative (apt-get available): decides whether missing packages can be installed.</summary>
    public bool IsDebian { get; init; } = File.Exists("/etc/debian_version");

    /// <summary>
    /// A non-root build may install packages through <c>sudo -n</c> (GitHub's hosted runners): sudo is there and lets
    /// this user in without a password. Asked once per process.
    /// </summary>
    public bool HasPasswordlessSudo { get; init; } = !IsRoot && PasswordlessSudo.Value;

    private static readonly Lazy<bool> PasswordlessSudo = new(() =>
    {
        if (Executables.FindOnPath("sudo") is not { } sudo)
        {
            return false;
        }

        try
        {
            using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(sudo, ["-n", "true"]) { RedirectStandardError = true, RedirectStandardOutput = true });
            return probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(10)) && probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });
}
