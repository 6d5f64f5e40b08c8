using TypedBuild.Provisioning;

namespace TypedBuild.Tests.Support;

/// <summary>Records which targets ran, in order.</summary>
internal abstract class RecordingBuild : BuildBase
{
    public List<string> Ran { get; } = [];

    protected ITargetDefinition Records(ITargetDefinition definition, string name) => definition.Executes(() => Ran.Add(name));
}

/// <summary>All relation kinds: Clean before Restore; Prepare for Compile; Test triggers Report; Announce after Publish.</summary>
internal sealed class GraphBuild : RecordingBuild
{
    public Target Clean => _ => Records(_.Before(Restore), nameof(Clean));

    public Target Restore => _ => Records(_, nameof(Restore));

    public Target Prepare => _ => Records(_.DependentFor(Compile), nameof(Prepare));

    public Target Compile => _ => Records(_.Description("Builds it").DependsOn(Restore), nameof(Compile));

    public Target Test => _ => Records(_.DependsOn(Compile).Triggers(Report), nameof(Test));

    public Target Report => _ => Records(_, nameof(Report));

    public Target Pack => _ => Records(_.DependsOn(Compile).After(Test), nameof(Pack));

    public Target Publish => _ => Records(_.DependsOn(Pack), nameof(Publish));

    public Target Announce => _ => Records(_.TriggeredBy(Publish).Unlisted(), nameof(Announce));
}

/// <summary>Compile and Test depend on each other.</summary>
internal sealed class CycleBuild : BuildBase
{
    public Target Restore => _ => _;

    public Target Compile => _ => _.DependsOn(Test, Restore);

    public Target Test => _ => _.DependsOn(Compile);
}

internal enum Stage
{
    Dev,
    Staging,
    Production,
}

/// <summary>One parameter of every supported type.</summary>
internal sealed class ParameterBuild : BuildBase
{
    [Parameter("Display name")]
    internal readonly string Name = "initial";

    [Parameter("Print more")]
    internal readonly bool Loud;

    [Parameter("Number of replicas")]
    internal readonly int Replicas = 1;

    [Parameter("Stage to deploy to")]
    internal readonly Stage Stage = Stage.Dev;

    [Parameter("Tags to apply")]
    internal readonly string[] Tags = [];

    [Parameter("Output directory")]
    internal readonly AbsolutePath? Output;

    [Parameter("Timeout in seconds")]
    internal readonly int? Timeout;

    [Parameter("Optional stage")]
    internal readonly Stage? PreviousStage;

    [Parameter("Sonar server")]
    internal string? SonarHostUrl { get; set; }

    [Parameter("Getter-only auto-property")]
    internal string? Region { get; }

    [Parameter("Hidden", Listed = false, Name = "Renamed")]
    internal readonly string? Internal;

    [Parameter("API token")]
    [Secret]
    internal readonly string? ApiToken;

    public Target Show => _ => _.Description("Shows parameters").Executes(() => Log.Information($"name={Name} token={ApiToken}"));
}

/// <summary>Failure modes: ProceedAfterFailure, AssuredAfterFailure, dependencies of failed targets, summary notes.</summary>
internal sealed class FailureBuild : RecordingBuild
{
    [Parameter("Make Compile throw")]
    internal readonly bool FailCompile;

    [Parameter("Make Lint throw")]
    internal readonly bool FailLint;

    [Parameter("Password")]
    [Secret]
    internal readonly string? Password;

    public Target Lint => _ => _
        .ProceedAfterFailure()
        .Executes(() =>
        {
            Ran.Add(nameof(Lint));
            if (FailLint)
            {
                throw new InvalidOperationException("lint found 3 problems");
            }
        });

    public Target Compile => _ => _
        .Executes(() =>
        {
            Ran.Add(nameof(Compile));
            Console.WriteLine($"console says {Password}");
            if (FailCompile)
            {
                throw new InvalidOperationException($"compiler rejected {Password}\nsecond line");
            }
        });

    public Target Test => _ => _
        .DependsOn(Compile)
        .After(Lint)
        .Executes(() =>
        {
            Ran.Add(nameof(Test));
            ReportSummary("Passed", "12");
        });

    public Target Package => _ => Records(_.DependsOn(Test), nameof(Package));

    public Target Cleanup => _ => Records(_.TriggeredBy(Lint, Compile).AssuredAfterFailure(), nameof(Cleanup));

    protected override IEnumerable<IBuildObserver> Observers => [new ThrowingObserver(), Recorder];

    public RecordingObserver Recorder { get; } = new();

    internal sealed class ThrowingObserver : IBuildObserver
    {
        public Task OnBuildFinishedAsync(BuildResult result, ISecretMasker masker, CancellationToken cancellationToken)
            => throw new InvalidOperationException("observer broke");
    }

    internal sealed class RecordingObserver : IBuildObserver
    {
        public BuildResult? Result { get; private set; }

        public Task OnBuildFinishedAsync(BuildResult result, ISecretMasker masker, CancellationToken cancellationToken)
        {
            Result = result;
            return Task.CompletedTask;
        }
    }
}

/// <summary>Conditions and requirements.</summary>
internal sealed class ConditionBuild : RecordingBuild
{
    [Parameter("Enables Compile")]
    internal readonly bool Enabled;

    [Parameter("Stage")]
    internal readonly Stage? Stage;

    [Parameter("Regions")]
    internal readonly string[] Regions = [];

    public Target Restore => _ => Records(_, nameof(Restore));

    public Target Compile => _ => Records(_.DependsOn(Restore).OnlyWhenStatic(() => Enabled), nameof(Compile));

    public Target Verify => _ => Records(_.OnlyWhenDynamic(() => Ran.Contains(nameof(Compile))), nameof(Verify));

    public Target Deploy => _ => Records(_.DependsOn(Restore).Requires(() => Stage).Requires(() => Regions), nameof(Deploy));
}

/// <summary>Test-controlled cancellation: the target cancels the token the build runs with, then waits for it.</summary>
internal sealed class CancellationBuild : RecordingBuild
{
    public static AsyncLocal<CancellationTokenSource?> Source { get; } = new();

    public Target Prepare => _ => Records(_, nameof(Prepare));

    public Target LongRunning => _ => _
        .DependsOn(Prepare)
        .Executes(async cancellationToken =>
        {
            Ran.Add(nameof(LongRunning));
            await Source.Value!.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });

    public Target Next => _ => Records(_.DependsOn(LongRunning), nameof(Next));

    public Target Cleanup => _ => _
        .TriggeredBy(LongRunning)
        .AssuredAfterFailure()
        .Executes(async cancellationToken =>
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            Ran.Add(nameof(Cleanup));
        });
}

/// <summary>A tool requirement that records what the engine asks of it.</summary>
internal sealed class FakeTool(string name, List<string> events, Func<bool> isMissing) : IToolRequirement
{
    public string Name { get; } = name;

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        events.Add($"check {Name}");
        return Task.FromResult(isMissing()
            ? RequirementCheck.Missing($"{Name} is not installed", $"apt-get install {Name}")
            : RequirementCheck.Installable($"{Name} can be downloaded"));
    }

    public string? UnmetOn(DeclaredMachine machine) => machine.Has(Name) ? null : $"'{Name}' is not on it";

    public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        events.Add($"ensure {Name} in {context.ToolsDirectory.Name}");
        return Task.FromResult<IAsyncDisposable?>(new Lifetime(Name, events));
    }

    private sealed class Lifetime(string name, List<string> events) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            events.Add($"dispose {name}");
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Targets sharing tool requirements.</summary>
internal sealed class ToolBuild : RecordingBuild
{
    public ToolBuild()
    {
        Helm = new FakeTool("helm", Events, () => HelmMissing);
        Docker = new FakeTool("docker", Events, () => false);
    }

    [Parameter("Pretend helm is missing")]
    internal readonly bool HelmMissing;

    public List<string> Events { get; } = [];

    private FakeTool Helm { get; }

    private FakeTool Docker { get; }

    public Target Image => _ => Records(_.Requires(Docker), nameof(Image));

    public Target Deploy => _ => Records(_.DependsOn(Image).Requires(Docker, Helm), nameof(Deploy));
}

/// <summary>Runs a child process that prints a secret, then fails.</summary>
internal sealed class ProcessBuild : BuildBase
{
    [Parameter("Token")]
    [Secret]
    internal readonly string? Token;

    public Target Echo => _ => _.Executes(async cancellationToken =>
    {
        await Processes.RunAsync("sh", ["-c", "echo child sees $0; echo child fails with $0 >&2; exit 3", Token!], cancellationToken: cancellationToken);
    });
}
