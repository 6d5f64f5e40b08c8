using TypedBuild.Hosts;

namespace TypedBuild;

/// <summary>Outcome of one target, as shown in the summary table. Every text in it is already secret-masked.</summary>
public sealed record TargetResult(
    string Name,
    TargetStatus Status,
    TimeSpan Duration,
    string? SkipReason,
    string? ErrorMessage,
    IReadOnlyList<KeyValuePair<string, string>> Notes,
    string? CacheKey = null,
    TimeSpan Start = default,
    bool CachedRemotely = false);

/// <summary>Outcome of a whole build, handed to every <see cref="IBuildObserver"/> when the build ends.</summary>
public sealed record BuildResult(
    IReadOnlyList<TargetResult> Targets,
    IReadOnlyList<string> InvokedTargets,
    string? Profile,
    TimeSpan Duration,
    int ExitCode,
    ICiHost Host)
{
    public bool Succeeded => ExitCode == ExitCodes.Success;

    /// <summary>Set when the build stopped before running any target (bad input, missing tools), or for a failure the CI system reported.</summary>
    public BuildProblem? Problem { get; init; }

    public TargetResult? FirstFailure => Targets.FirstOrDefault(t => t.Status == TargetStatus.Failed);
}

/// <summary>
/// A failure that is not a target's: <paramref name="Title"/> is a short phrase for a headline ("tools are missing"),
/// <paramref name="Details"/> the masked error text as the log showed it.
/// </summary>
public sealed record BuildProblem(string Title, string Details);

/// <summary>Process exit codes of a build.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int TargetFailed = 1;
    public const int UsageError = 2;
    public const int Cancelled = 130;
}

/// <summary>
/// Extension point called when the build ends (after the summary), whatever its outcome. Exceptions thrown by an
/// observer are logged as warnings and never change the build's exit code.
/// </summary>
public interface IBuildObserver
{
    Task OnBuildFinishedAsync(BuildResult result, ISecretMasker masker, CancellationToken cancellationToken);
}
