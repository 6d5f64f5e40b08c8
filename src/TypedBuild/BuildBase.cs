using System.Linq.Expressions;
using TypedBuild.Execution;
using TypedBuild.Hosts;
using TypedBuild.Processes;

namespace TypedBuild;

/// <summary>
/// Base class of a build definition. Targets are <see cref="Target"/> members, parameters are members marked with
/// <see cref="ParameterAttribute"/>. <c>static int Main(string[] args) => Execute&lt;Build&gt;(args, x => x.Compile);</c>
/// </summary>
public abstract class BuildBase
{
    /// <summary>
    /// Parses the command line, fills parameters, plans and runs the invoked (or default) targets, prints the
    /// summary and returns the exit code (see <see cref="ExitCodes"/>).
    /// </summary>
    public static int Execute<TBuild>(string[] args, params Expression<Func<TBuild, Target>>[] defaultTargets)
        where TBuild : BuildBase, new()
    {
        using var cancellation = new BuildCancellation();
        var runner = new BuildRunner(() => new TBuild(), BuildRunner.TargetNames(defaultTargets), RunnerOptions.FromProcess(cancellation.Token));
        return runner.RunAsync(args).GetAwaiter().GetResult();
    }

    /// <summary>Repository root: the nearest directory upwards with a <c>.nuke/</c> folder, or <c>--root</c>.</summary>
    public AbsolutePath RootDirectory { get; internal set; } = null!;

    /// <summary>Git-ignored scratch space: <c>.nuke/temp</c>.</summary>
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>Selected profile (<c>--env dev</c> loads <c>.nuke/parameters.dev.json</c>), or null.</summary>
    public string? Profile { get; internal set; }

    public ICiHost Host { get; internal set; } = null!;

    public bool IsLocalBuild => !IsServerBuild;

    public bool IsServerBuild => Host.IsServerBuild;

    /// <summary>Targets named on the command line (or the defaults), in canonical spelling.</summary>
    public IReadOnlyList<string> InvokedTargets { get; internal set; } = [];

    /// <summary>
    /// Whether <paramref name="target"/> is in this run's plan and not skipped (by <c>--skip</c> or a static
    /// condition): true for a target the invoked ones pull in, too. Known once planning is done, so not in
    /// <see cref="OnBuildInitialized"/> or an <c>OnlyWhenStatic</c> condition.
    /// </summary>
    protected bool IsPlanned(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (plan, targets) = (Plan, Targets);
        if (plan is null || targets is null)
        {
            throw new InvalidOperationException(
            "IsPlanned is known once the plan is made: call it while targets run (in Executes or OnlyWhenDynamic), not while the build is set up or planned.");
        }

        var planned = Definition.TargetDiscovery.Resolve(targets, target)
            ?? throw new ArgumentException("IsPlanned was given a target that is not a member of this build; pass a Target member, like IsPlanned(Lint).", nameof(target));
        return plan.ToRun.Any(node => node.Target == planned);
    }

    internal Planning.ExecutionPlan? Plan { get; set; }

    internal IReadOnlyList<Definition.ExecutableTarget>? Targets { get; set; }

    /// <summary>True once any target has failed or the build was cancelled.</summary>
    public bool IsFailing { get; internal set; }

    public IBuildLog Log { get; internal set; } = null!;

    public IProcessRunner Processes { get; internal set; } = null!;

    public ISecretMasker Secrets { get; internal set; } = null!;

    /// <summary>Cancelled on Ctrl+C or SIGTERM.</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The names of every target a build type declares, as the engine discovers them.</summary>
    protected static IReadOnlyList<string> TargetNamesOf(Type buildType)
        => Definition.TargetDiscovery.FindTargetMembers(buildType).Select(member => member.Name).ToList();

    /// <summary>
    /// The targets a call with <paramref name="targets"/> (and <c>--skip</c> when <paramref name="skipOthers"/>) would
    /// run, in plan order, each with the tools it requires. OnlyWhen conditions are not evaluated: a generator that
    /// checks a CI job's machine must count every target the job may run.
    /// </summary>
    protected IReadOnlyList<Planning.TargetRequirements> RequirementsOfCall(IReadOnlyList<string> targets, bool skipOthers)
    {
        var all = Definition.TargetDiscovery.Discover(this);
        var invoked = new List<Definition.ExecutableTarget>();
        foreach (var name in targets)
        {
            invoked.Add(all.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"The build has no target '{name}'.", nameof(targets)));
        }

        var plan = Planning.Planner.Plan(all, invoked, skipOthers ? new Planning.SkipRequest(AllButInvoked: true, []) : Planning.SkipRequest.None);
        return plan.ToRun.Select(node => new Planning.TargetRequirements(node.Target.Name, node.Target.ToolRequirements)).ToList();
    }

    /// <summary>Adds a key/value note to the running target's row in the summary (image digest, coverage figure).</summary>
    protected void ReportSummary(string key, string value)
    {
        var run = TargetRun.Current.Value
            ?? throw new InvalidOperationException("ReportSummary can only be called while a target runs.");
        run.AddNote(Secrets.Mask(key), Secrets.Mask(value));
    }

    /// <summary>Observers told about the outcome when the build ends (Slack, job summaries). Read after parameters are set.</summary>
    protected virtual IEnumerable<IBuildObserver> Observers => [];

    /// <summary>Called once parameters are filled, before planning.</summary>
    protected virtual void OnBuildInitialized()
    {
    }

    internal IEnumerable<IBuildObserver> GetObservers() => Observers;

    internal void InitializeBuild() => OnBuildInitialized();
}
