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
}
