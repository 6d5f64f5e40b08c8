using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using TypedBuild.Provisioning;

namespace TypedBuild;

/// <summary>Fluent definition of a target. One relation per call; <c>Executes</c> comes last.</summary>
public interface ITargetDefinition
{
    /// <summary>Text shown in <c>--help</c> and <c>--plan</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>These targets run before this one and are pulled into the plan.</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>This target runs before those and is pulled into the plan when they are.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>Order only: when both are planned, this one runs after those.</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Order only: when both are planned, this one runs before those.</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>When this target is planned, those are added and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>When one of those targets is planned, this one is added and runs after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Checked for the whole plan before anything runs; false skips the target with the expression text as reason.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? reason = null);

    /// <summary>Checked right before the target runs, so it can read what earlier targets did.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? reason = null);

    /// <summary>The parameter must have a value; checked for every scheduled target before anything runs.</summary>
    ITargetDefinition Requires<T>(Expression<Func<T>> parameter);

    /// <summary>Tools this target needs; they are checked before anything runs and provisioned before the target runs.</summary>
    ITargetDefinition Requires(params IToolRequirement[] tools);

    /// <summary>
    /// While this target runs, no other target that needs one of these resources runs (with <c>--parallel</c> above 1
    /// independent targets run at once; a resource keeps two of them from sharing what only one may use).
    /// </summary>
    ITargetDefinition NeedsAlone(params BuildResource[] resources);

    /// <summary>When this target fails, the build goes on with the remaining targets (and still fails in the end).</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>This target runs even after another target failed or the build was cancelled (cleanup, notification).</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>Left out of <c>--help</c>; still invocable and present in the schema.</summary>
    ITargetDefinition Unlisted();

    /// <summary>Synchronous body.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>Asynchronous body.</summary>
    ITargetDefinition Executes(Func<Task> action);

    /// <summary>Asynchronous body that observes cancellation (Ctrl+C, SIGTERM).</summary>
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
