using TypedBuild.Definition;

namespace TypedBuild.Planning;

/// <summary>
/// One node of the plan. <see cref="Predecessors"/> are the planned targets that must be finished before this one
/// starts; the executor only relies on them (not on <see cref="Order"/>), so independent nodes may later run at once.
/// </summary>
internal sealed class PlannedTarget(ExecutableTarget target, bool isInvoked)
{
    public ExecutableTarget Target { get; } = target;

    public string Name => Target.Name;

    public bool IsInvoked { get; } = isInvoked;

    /// <summary>1-based position in the sequential order.</summary>
    public int Order { get; set; }

    public List<PlannedTarget> Predecessors { get; } = [];

    public string? SkipReason { get; set; }

    public bool IsSkipped => SkipReason is not null;

    public override string ToString() => Name;
}

/// <summary>The targets to run, topologically ordered, ties broken by declaration order.</summary>
internal sealed class ExecutionPlan(IReadOnlyList<PlannedTarget> targets, IReadOnlyList<ExecutableTarget> invoked)
{
    public IReadOnlyList<PlannedTarget> Targets { get; } = targets;

    public IReadOnlyList<ExecutableTarget> Invoked { get; } = invoked;

    public IEnumerable<PlannedTarget> ToRun => Targets.Where(t => !t.IsSkipped);
}
