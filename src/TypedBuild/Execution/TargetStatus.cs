namespace TypedBuild;

public enum TargetStatus
{
    /// <summary>Planned, not yet started.</summary>
    Scheduled,
    Running,
    Succeeded,
    Failed,
    /// <summary>Not run on purpose: <c>--skip</c>, a false <c>OnlyWhen</c>, or a skipped dependant's dependency.</summary>
    Skipped,
    /// <summary>Not run because an earlier target failed.</summary>
    NotRun,
    Cancelled,
    /// <summary>Not run: its outputs and notes were restored from the cache entry of the same inputs.</summary>
    Cached,
}
