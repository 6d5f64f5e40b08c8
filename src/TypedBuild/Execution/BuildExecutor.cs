using System.Diagnostics;
using TypedBuild.Caching;
using TypedBuild.Definition;
using TypedBuild.Hosts;
using TypedBuild.Logging;
using TypedBuild.Planning;
using TypedBuild.Provisioning;

namespace TypedBuild.Execution;

/// <summary>
/// Runs a plan. The scheduler only looks at each node's predecessor set: a node is ready when all its predecessors
/// have finished, and up to <paramref name="parallelism"/> ready nodes run at once, taken in plan order, never more
/// than a <see cref="BuildResource"/>'s capacity holding it. With a parallelism of 1 that is exactly the plan order.
/// A failure stops what serial execution would not have started yet (every target after the failed one in plan
/// order, unless assured), including such targets already running, so the statuses are those of a serial run.
/// </summary>
internal sealed class BuildExecutor(
    BuildBase build,
    ExecutionPlan plan,
    BuildLog log,
    ICiHost host,
    ProvisioningContext provisioning,
    CancellationToken cancellationToken,
    int parallelism = 1,
    TargetOutputGate? output = null,
    TargetCache? cache = null)
{
    private const string EarlierFailure = "an earlier target failed";

    private readonly Dictionary<IToolRequirement, Task> _ensured = new(ReferenceEqualityComparer.Instance);
    private readonly List<IAsyncDisposable> _lifetimes = [];
    private readonly Dictionary<TargetRun, CancellationTokenSource> _running = [];
    private readonly Lock _lock = new();
    private readonly TargetOutputGate _output = output ?? new TargetOutputGate();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Plan order of the first failed target that does not proceed after failure; later targets do not run.</summary>
    private int _stopAfterOrder = int.MaxValue;

    public IReadOnlyList<TargetRun> Runs { get; } = plan.Targets.Select(n => new TargetRun(n)).ToList();

    /// <summary>Checks every tool that a target to run requires (each instance once); returns what is missing.</summary>
    public static async Task<IReadOnlyList<string>> FindMissingToolsAsync(ExecutionPlan plan, ProvisioningContext context, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var tools = plan.ToRun.SelectMany(t => t.Target.ToolRequirements).Distinct(ReferenceEqualityComparer.Instance).Cast<IToolRequirement>();
        foreach (var tool in tools)
        {
            var check = await tool.CheckAsync(context, cancellationToken).ConfigureAwait(false);
            if (check.State == RequirementState.Missing)
            {
                // Details are sentences that may end with their own full stop.
                missing.Add($"{tool.Name}: {check.Detail?.TrimEnd().TrimEnd('.')}. Install: {check.InstallHint}");
            }
        }

        return missing;
    }

    public async Task RunAsync()
    {
        var tasks = new Dictionary<Task, TargetRun>();
        try
        {
            while (StartReady(tasks) > 0)
            {
                var finished = await Task.WhenAny(tasks.Keys).ConfigureAwait(false);
                tasks.Remove(finished);
                await finished.ConfigureAwait(false);
            }
        }
        finally
        {
            await Task.WhenAll(tasks.Keys).ConfigureAwait(false);
            await DisposeLifetimesAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Marks what cannot run any more, starts what may run now; returns how many targets are running.</summary>
    private int StartReady(Dictionary<Task, TargetRun> tasks)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var run in Runs.Where(r => r.Status == TargetStatus.Scheduled && IsReady(r, tasks)).ToList())
            {
                if (WhyNotRun(run) is { } reason)
                {
                    run.Status = TargetStatus.NotRun;
                    run.SkipReason = reason;
                    changed = true;
                }
                else if (tasks.Count < parallelism && !NeedsWhatIsInUse(run, tasks.Values))
                {
                    run.Status = TargetStatus.Running;
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    lock (_lock)
                    {
                        _running[run] = stop;
                    }

                    // A body may be synchronous: on a pool thread it cannot hold up the targets next to it.
                    tasks.Add(Task.Run(() => RunTargetAsync(run, stop), CancellationToken.None), run);
                    changed = true;
                }
            }
        }

        return tasks.Count;
    }

    /// <summary>Every predecessor has finished, and its task is over (its output is complete, its provisioning recorded).</summary>
    private bool IsReady(TargetRun run, Dictionary<Task, TargetRun> tasks)
        => run.Node.Predecessors.TrueForAll(p => Runs.First(x => x.Node == p) is var predecessor && predecessor.IsFinished && !tasks.ContainsValue(predecessor));

    private static bool NeedsWhatIsInUse(TargetRun run, IEnumerable<TargetRun> running)
    {
        var holders = running.SelectMany(other => other.Node.Target.Resources.Distinct()).ToList();
        return run.Node.Target.Resources.Any(needed => holders.Count(held => ReferenceEquals(held, needed)) >= needed.Capacity);
    }

    private string? WhyNotRun(TargetRun run)
    {
        if (run.Node.Target.AssuredAfterFailure)
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return "build cancelled";
        }

        lock (_lock)
        {
            if (run.Node.Order > _stopAfterOrder)
            {
                return EarlierFailure;
            }
        }

        var brokenDependency = run.Node.Target.DependsOn
            .Select(d => Runs.FirstOrDefault(r => r.Node.Target == d))
            .FirstOrDefault(r => r?.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Cancelled);
        return brokenDependency is null ? null : $"dependency {brokenDependency.Name} did not succeed";
    }

    private async Task RunTargetAsync(TargetRun run, CancellationTokenSource stop)
    {
        var target = run.Node.Target;
        // Assured targets (cleanup, notification) must still be able to finish after a cancellation.
        var token = target.AssuredAfterFailure && cancellationToken.IsCancellationRequested ? CancellationToken.None : stop.Token;
        TargetRun.Current.Value = run;
        _output.Started(run);
        host.BeginGroup(run.Name);
        run.Start = _clock.Elapsed;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            if (target.DynamicConditions.FirstOrDefault(c => !c.Evaluate()) is { } condition)
            {
                MarkSkipped(run, $"OnlyWhen: {condition.Text}");
                return;
            }

            // Provisioning is shared: a target stopped while it waits must not cancel it for the others.
            var provisioningToken = token == CancellationToken.None ? token : cancellationToken;
            foreach (var tool in target.ToolRequirements)
            {
                await EnsureOnceAsync(tool, provisioningToken).WaitAsync(token).ConfigureAwait(false);
            }

            var lookup = IsCachedNow(target) ? await cache!.LookUpAsync(target, token).ConfigureAwait(false) : null;
            if (lookup?.Hit is { } entry && await TryRestoreAsync(run, entry, lookup.FromRemote, token).ConfigureAwait(false))
            {
                return;
            }

            if (lookup?.MissReason is { } reason)
            {
                log.Information($"Cache miss: {reason}");
            }

            foreach (var action in target.Actions)
            {
                await action(token).ConfigureAwait(false);
            }

            run.Status = TargetStatus.Succeeded;
            if (lookup is not null)
            {
                await RecordAsync(run, lookup, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped by an earlier target's failure: a serial run would not have started it.
            run.Status = TargetStatus.NotRun;
            run.SkipReason = EarlierFailure;
            log.Information($"Stopped {run.Name}: {EarlierFailure}.");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            run.Status = TargetStatus.Cancelled;
            run.ErrorMessage = "cancelled";
            build.IsFailing = true;
            log.Warning($"Target {run.Name} was cancelled.");
        }
        catch (Exception exception)
        {
            run.Status = TargetStatus.Failed;
            run.ErrorMessage = log.Masker.Mask(exception.Message);
            build.IsFailing = true;
            log.Error($"Target {run.Name} failed: {exception.Message}");
            log.Debug(exception.ToString());
            if (!target.ProceedAfterFailure)
            {
                StopTargetsAfter(run.Node.Order);
            }
        }
        finally
        {
            run.Duration = stopwatch.Elapsed;
            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            host.EndGroup(run.Name);
            lock (_lock)
            {
                _running.Remove(run);
            }

            stop.Dispose();
            _output.Ended(run);
            TargetRun.Current.Value = null;
        }
    }

    /// <summary>What a serial run would not start after a failure at <paramref name="order"/>: cancelled if it already runs.</summary>
    private void StopTargetsAfter(int order)
    {
        List<CancellationTokenSource> toStop;
        lock (_lock)
        {
            _stopAfterOrder = Math.Min(_stopAfterOrder, order);
            toStop = _running.Where(r => r.Key.Node.Order > order && !r.Key.Node.Target.AssuredAfterFailure).Select(r => r.Value).ToList();
        }

        foreach (var source in toStop)
        {
            source.Cancel();
        }
    }

    private bool IsCachedNow(ExecutableTarget target)
    {
        if (cache is null || !target.Cache.IsCacheable)
        {
            return false;
        }

        if (target.Cache.Conditions.Find(c => !c.Evaluate()) is { } condition)
        {
            log.Information($"Not cached: {condition.Text}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// A restore that fails on the file system, or finds what the target made outside the repository gone or out of
    /// reach, is a miss with a warning: the target runs instead.
    /// </summary>
    private async Task<bool> TryRestoreAsync(TargetRun run, CacheEntry entry, bool fromRemote, CancellationToken token)
    {
        try
        {
            if (await cache!.RestoreAsync(run.Node.Target, entry, token).ConfigureAwait(false) is { } gone)
            {
                log.Information($"Cache entry {entry.ShortKey} found, but {gone.What} is gone; the target runs instead.");
                return false;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
        {
            log.Warning($"Restoring {run.Name} from cache entry {entry.ShortKey} failed ({exception.Message}); the target runs instead.");
            return false;
        }

        foreach (var note in entry.Notes)
        {
            run.AddNote(note.Key, note.Value);
        }

        run.CacheKey = entry.Key;
        run.CachedRemotely = fromRemote;
        run.Status = TargetStatus.Cached;
        var store = fromRemote ? $" of the remote store {cache!.Remote!.Repository}" : string.Empty;
        log.Information($"Cached: restored from entry {entry.ShortKey}{store}, recorded {entry.Created:yyyy-MM-dd HH:mm:ss} UTC");
        return true;
    }

    /// <summary>A result that cannot be stored costs the next run time, never this run its success.</summary>
    private async Task RecordAsync(TargetRun run, CacheLookup lookup, CancellationToken token)
    {
        try
        {
            var entry = await cache!.RecordAsync(run.Node.Target, lookup.Fingerprint, run.Notes, token).ConfigureAwait(false);
            run.CacheKey = entry.Key;
            log.Debug($"Recorded cache entry {entry.ShortKey} with {entry.Outputs.Count} output file(s)");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Warning($"Could not store {run.Name} in the cache: {exception.Message}");
        }
    }

    private void MarkSkipped(TargetRun run, string reason)
    {
        run.Status = TargetStatus.Skipped;
        run.SkipReason = reason;
        log.Information($"Skipped: {reason}");
    }

    /// <summary>Each tool once per build; targets running at once that need the same tool wait for the same provisioning.</summary>
    private Task EnsureOnceAsync(IToolRequirement tool, CancellationToken token)
    {
        lock (_lock)
        {
            if (!_ensured.TryGetValue(tool, out var ensuring) || ensuring.IsFaulted || ensuring.IsCanceled)
            {
                ensuring = EnsureAsync(tool, token);
                _ensured[tool] = ensuring;
            }

            return ensuring;
        }
    }

    private async Task EnsureAsync(IToolRequirement tool, CancellationToken token)
    {
        log.Debug($"Provisioning {tool.Name}");
        if (await tool.EnsureAsync(provisioning, token).ConfigureAwait(false) is { } lifetime)
        {
            lock (_lock)
            {
                _lifetimes.Add(lifetime);
            }
        }
    }

    private async Task DisposeLifetimesAsync()
    {
        for (var i = _lifetimes.Count - 1; i >= 0; i--)
        {
            try
            {
                await _lifetimes[i].DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                log.Warning($"Releasing a provisioned tool failed: {exception.Message}");
            }
        }

        _lifetimes.Clear();
    }
}
