using TypedBuild.Definition;

namespace TypedBuild.Execution;

/// <summary>
/// Hook for incremental builds (not implemented yet): consulted right before a target runs. A cache that knows the
/// target's declared inputs and outputs answers whether they are unchanged since the last successful run; the
/// executor then skips the target ("up to date") and records a fresh fingerprint after each success.
/// </summary>
internal interface ITargetCache
{
    ValueTask<bool> IsUpToDateAsync(ExecutableTarget target, CancellationToken cancellationToken);

    ValueTask RecordSuccessAsync(ExecutableTarget target, CancellationToken cancellationToken);
}
