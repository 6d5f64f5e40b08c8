using System.Collections.Concurrent;

namespace TypedBuild.Tests.Support;

/// <summary>
/// Targets that prove they run at once: each independent one announces its start and waits (bounded) until its
/// sibling has started too, writing lines before and after, so concurrent output would interleave if nothing grouped it.
/// </summary>
internal sealed class ConcurrentBuild : BuildBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _leftStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _rightStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Ran { get; } = new();

    /// <summary>Whether each side saw the other one running while it ran itself.</summary>
    public ConcurrentDictionary<string, bool> SawSibling { get; } = new();

    public Target Prepare => _ => _.Executes(() => Ran.Enqueue(nameof(Prepare)));

    public Target Left => _ => _
        .DependsOn(Prepare)
        .Executes(cancellationToken => SideAsync(nameof(Left), _leftStarted, _rightStarted, cancellationToken));

    public Target Right => _ => _
        .DependsOn(Prepare)
        .Executes(cancellationToken => SideAsync(nameof(Right), _rightStarted, _leftStarted, cancellationToken));

    public Target Join => _ => _.DependsOn(Left, Right).Executes(() => Ran.Enqueue(nameof(Join)));

    private async Task SideAsync(string name, TaskCompletionSource mine, TaskCompletionSource sibling, CancellationToken cancellationToken)
    {
        Ran.Enqueue(name);
        Log.Information($"{name} line 1");
        mine.TrySetResult();
        try
        {
            await sibling.Task.WaitAsync(Patience, cancellationToken);
            SawSibling[name] = true;
        }
        catch (TimeoutException)
        {
            SawSibling[name] = false;
        }

        await Task.Delay(50, cancellationToken);
        Log.Information($"{name} line 2");
        await Console.Out.WriteLineAsync($"{name} says hello on stdout".AsMemory(), cancellationToken);
        Log.Information($"{name} line 3");
    }
}

/// <summary>Three independent targets that share one resource, and a fourth that needs another.</summary>
internal sealed class ResourceBuild : BuildBase
{
    private static readonly BuildResource Engine = new("engine");
    private static readonly BuildResource Port = new("port 8080");

    private readonly Lock _lock = new();
    private int _holdingEngine;

    public int MostHoldingEngineAtOnce { get; private set; }

    public ConcurrentQueue<string> Started { get; } = new();

    public Target First => _ => _.NeedsAlone(Engine).Executes(() => UseEngineAsync(nameof(First)));

    public Target Second => _ => _.NeedsAlone(Engine, Port).Executes(() => UseEngineAsync(nameof(Second)));

    public Target Third => _ => _.NeedsAlone(Engine).Executes(() => UseEngineAsync(nameof(Third)));

    public Target Other => _ => _.NeedsAlone(Port).Executes(() => Started.Enqueue(nameof(Other)));

    public Target All => _ => _.DependsOn(First, Second, Third, Other);

    private async Task UseEngineAsync(string name)
    {
        Started.Enqueue(name);
        lock (_lock)
        {
            _holdingEngine++;
            MostHoldingEngineAtOnce = Math.Max(MostHoldingEngineAtOnce, _holdingEngine);
        }

        await Task.Delay(150);
        lock (_lock)
        {
            _holdingEngine--;
        }
    }
}

/// <summary>Four independent targets that need a resource two of them may hold at once.</summary>
internal sealed class SharedResourceBuild : BuildBase
{
    private static readonly BuildResource Cores = new("cores", capacity: 2);

    private readonly Lock _lock = new();
    private int _holding;

    public int MostHoldingAtOnce { get; private set; }

    public Target First => _ => _.NeedsAlone(Cores).Executes(HoldAsync);

    public Target Second => _ => _.NeedsAlone(Cores).Executes(HoldAsync);

    public Target Third => _ => _.NeedsAlone(Cores).Executes(HoldAsync);

    public Target Fourth => _ => _.NeedsAlone(Cores).Executes(HoldAsync);

    public Target All => _ => _.DependsOn(First, Second, Third, Fourth);

    private async Task HoldAsync()
    {
        lock (_lock)
        {
            _holding++;
            MostHoldingAtOnce = Math.Max(MostHoldingAtOnce, _holding);
        }

        await Task.Delay(150);
        lock (_lock)
        {
            _holding--;
        }
    }
}

/// <summary>
/// Fail and FailProceeding (plan order 1 and 2) fail, when asked once Slow (order 3, independent, in a child
/// process) runs; Quick (order 4) and After (depends on Fail) come later; Cleanup is assured. With <c>--cancel</c>
/// Fail cancels the build instead, while its own child process runs.
/// </summary>
internal sealed class ConcurrentFailureBuild : BuildBase
{
    private readonly TaskCompletionSource _slowStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parameter("Fail waits until Slow runs (only when targets run at once)")]
    internal readonly bool WaitForSlow;

    [Parameter("How long Slow's child process sleeps")]
    internal readonly int SlowSeconds = 60;

    [Parameter("Fail cancels the build instead of failing")]
    internal readonly bool Cancel;

    public static AsyncLocal<CancellationTokenSource?> Source { get; } = new();

    public ConcurrentQueue<string> Ran { get; } = new();

    public ConcurrentQueue<string> ChildPidFiles { get; } = new();

    public Target Fail => _ => _.Executes(cancellationToken => FailAsync(nameof(Fail), cancellationToken));

    public Target FailProceeding => _ => _
        .ProceedAfterFailure()
        .Executes(cancellationToken => FailAsync(nameof(FailProceeding), cancellationToken));

    public Target Slow => _ => _
        .Executes(async cancellationToken =>
        {
            Ran.Enqueue(nameof(Slow));
            _slowStarted.TrySetResult();
            await SleepInChildAsync(nameof(Slow), SlowSeconds, cancellationToken);
        });

    public Target Quick => _ => _.Executes(() => Ran.Enqueue(nameof(Quick)));

    public Target After => _ => _.DependsOn(Fail).Executes(() => Ran.Enqueue(nameof(After)));

    public Target Cleanup => _ => _.TriggeredBy(Fail).AssuredAfterFailure().Executes(() => Ran.Enqueue(nameof(Cleanup)));

    private async Task FailAsync(string name, CancellationToken cancellationToken)
    {
        Ran.Enqueue(name);
        if (WaitForSlow)
        {
            await _slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            await UntilExistsAsync(PidFile(nameof(Slow)));
        }

        if (Cancel)
        {
            var child = SleepInChildAsync(name, 60, cancellationToken);
            await UntilExistsAsync(PidFile(name));
            await Source.Value!.CancelAsync();
            await child;
        }

        throw new InvalidOperationException($"{name} failed");
    }

    /// <summary>A child process whose pid the test checks after the build: cancelling its target must kill it.</summary>
    private async Task SleepInChildAsync(string name, int seconds, CancellationToken cancellationToken)
    {
        var pidFile = PidFile(name);
        ChildPidFiles.Enqueue(pidFile);
        await Processes.RunAsync("sh", ["-c", $"echo $$ > '{pidFile}.tmp' && mv '{pidFile}.tmp' '{pidFile}'; exec sleep {seconds}"], cancellationToken: cancellationToken);
    }

    private string PidFile(string name) => Path.Combine(RootDirectory, $"{name}.pid");

    private static async Task UntilExistsAsync(string file)
    {
        for (var waited = 0; !File.Exists(file) && waited < 10_000; waited += 20)
        {
            await Task.Delay(20);
        }
    }
}

/// <summary>Deploy pulls in Lint through Verify; Compile asks whether Lint is planned.</summary>
internal sealed class PlannedBuild : BuildBase
{
    public bool? LintPlanned { get; private set; }

    public Target Compile => _ => _.Executes(() => LintPlanned = IsPlanned(Lint));

    public Target Lint => _ => _.DependsOn(Compile).Executes(() => { });

    public Target Verify => _ => _.DependsOn(Lint).Executes(() => { });

    public Target Deploy => _ => _.DependsOn(Verify, Compile).Executes(() => { });

    public Target Early => _ => _.OnlyWhenStatic(() => IsPlanned(Lint)).Executes(() => { });
}

/// <summary>
/// One cacheable target with an input of every kind: files under <c>src/</c> (<c>src/ignored/</c> excluded), two
/// values (one a secret), an environment variable and a tool's version (a script printing <c>tool-version</c>).
/// </summary>
internal sealed class CacheBuild : BuildBase
{
    public const string ToolScript = "tool-version.sh";

    [Parameter("A value the output depends on")]
    internal readonly string Flavour = "plain";

    [Parameter("A secret the output depends on")]
    [Secret]
    internal readonly string? Token;

    [Parameter("Make Produce fail")]
    internal readonly bool Fail;

    [Parameter("Keep Produce out of the cache")]
    internal readonly bool Uncached;

    public int BodyRuns { get; private set; }

    public int Restores { get; private set; }

    public Target Produce => _ => _
        .InputFiles("src/**/*.txt", "!src/ignored/**")
        .InputValue(() => Flavour)
        .InputValue(() => Token)
        .InputEnvironment("CACHE_TEST_MODE")
        .InputTool("sh", ToolScript)
        .Outputs("out/result.txt", "out/reports")
        .CachedOnlyWhen(() => !Uncached)
        .WhenRestored(() => Restores++)
        .Executes(() =>
        {
            BodyRuns++;
            if (Fail)
            {
                throw new InvalidOperationException("Produce failed");
            }

            var sources = Directory.EnumerateFiles(RootDirectory / "src", "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText);
            Directory.CreateDirectory(RootDirectory / "out" / "reports");
            File.WriteAllText(RootDirectory / "out" / "result.txt", $"{Flavour}:{string.Join('|', sources)}:{Guid.NewGuid()}");
            File.WriteAllBytes(RootDirectory / "out" / "reports" / "data.bin", [0, 1, 2, 255, (byte)BodyRuns]);
            File.WriteAllText(RootDirectory / "out" / "reports" / "token.txt", $"token {Token}");
            ReportSummary("Lines", "3");
        });

    public Target After => _ => _.DependsOn(Produce).Executes(() => Log.Information($"After sees {File.ReadAllText(RootDirectory / "out" / "result.txt")[..5]}"));

    [Parameter("The shell Versioned reads its tool's version with, as a provisioned tool's path")]
    internal readonly string ToolShell = "sh";

    /// <summary>A tool whose path is read when the key is computed, not when the target is defined.</summary>
    public Target Versioned => _ => _
        .InputTool(() => ToolShell, [ToolScript])
        .Executes(() => BodyRuns++);

    [Parameter("Make the registry Publish restores from unreachable")]
    internal readonly bool RegistryDown;

    /// <summary>What Publish's restore brought back from the stand-in registry (a folder outside the outputs).</summary>
    public List<string> Pulled { get; } = [];

    /// <summary>Like an image build: the output names what it made, the thing itself lives in a "registry".</summary>
    public Target Publish => _ => _
        .InputFiles("src/**/*.txt", "!src/ignored/**")
        .Outputs("out/published.txt")
        .OutputsOutside("the published package in the registry", _ =>
        {
            if (RegistryDown)
            {
                throw new HttpRequestException("Connection refused (127.0.0.1:9)");
            }

            var id = File.ReadAllText(RootDirectory / "out" / "published.txt");
            var found = File.Exists(RootDirectory / "registry" / id);
            if (found)
            {
                Pulled.Add(id);
            }

            return Task.FromResult(found);
        })
        .Executes(() =>
        {
            BodyRuns++;
            var id = Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(RootDirectory / "out");
            Directory.CreateDirectory(RootDirectory / "registry");
            File.WriteAllText(RootDirectory / "registry" / id, "package");
            File.WriteAllText(RootDirectory / "out" / "published.txt", id);
            ReportSummary("Package", id[..8]);
        });
}
