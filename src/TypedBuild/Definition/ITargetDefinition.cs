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
    /// While this target runs, it holds these resources: no other target that needs one of them starts while the
    /// resource's capacity is taken (one unless declared otherwise, so by default no other target that needs it runs).
    /// With <c>--parallel</c> above 1 independent targets run at once; a resource keeps them from sharing what only
    /// one, or only a few, may use.
    /// </summary>
    ITargetDefinition NeedsAlone(params BuildResource[] resources);

    /// <summary>
    /// Files the target reads, as globs relative to the root (<c>src/**/*.cs</c>; a leading <c>!</c> excludes). Any
    /// input makes the target cacheable: its key hashes every input, and a hit restores its outputs instead of running it.
    /// </summary>
    ITargetDefinition InputFiles(params string[] globs);

    /// <summary>A value the result depends on (a parameter, a version), read when the key is computed. Secrets enter only as hashes.</summary>
    ITargetDefinition InputValue(Func<object?> value, [CallerArgumentExpression(nameof(value))] string? name = null);

    /// <summary>Environment variables the result depends on (unset and empty count alike).</summary>
    ITargetDefinition InputEnvironment(params string[] variables);

    /// <summary>A tool's version: what <paramref name="executable"/> with <paramref name="versionArguments"/> prints (<c>dotnet --version</c>: the SDK).</summary>
    ITargetDefinition InputTool(string executable, params string[] versionArguments);

    /// <summary>
    /// The same for a tool whose path is known once it is provisioned (<c>() => Helm.Path</c>): read when the key is
    /// computed, after the target's tools are in place. The explanation of a miss names the expression.
    /// </summary>
    ITargetDefinition InputTool(Func<string> executable, string[] versionArguments, [CallerArgumentExpression(nameof(executable))] string? name = null);

    /// <summary>Files the target produces (globs or paths; a folder means everything in it): stored with a cache entry and restored on a hit.</summary>
    ITargetDefinition Outputs(params string[] globs);

    /// <summary>
    /// Files the target produces that stay where they are instead of being stored (<c>bin/</c>, <c>obj/</c>): a hit
    /// needs them on disk as they were when the entry was recorded; otherwise the target runs.
    /// </summary>
    ITargetDefinition OutputsKeptInPlace(params string[] globs);

    /// <summary>
    /// What the target produces outside the repository, which no cache entry can hold (an image in the Docker Engine
    /// or a registry). On a hit, once the stored outputs are back, <paramref name="restore"/> brings it back (pulls and
    /// tags the image the restored files name) and returns whether it could; when it could not, or fails, the target
    /// runs. <paramref name="what"/> names it in the log and in <c>--plan</c>.
    /// </summary>
    ITargetDefinition OutputsOutside(string what, Func<CancellationToken, Task<bool>> restore);

    /// <summary>
    /// Checked right before a cacheable target runs: when false the target runs and records nothing (e.g. while an
    /// analysis that hooks into every compiler run is open, a restored result would give it nothing to see).
    /// </summary>
    ITargetDefinition CachedOnlyWhen(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? reason = null);

    /// <summary>
    /// Runs instead of <c>Executes</c> when the cache restored this target: reads back from its restored outputs what
    /// later targets of the same build expect the body to have left in memory.
    /// </summary>
    ITargetDefinition WhenRestored(Action action);

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
