using System.Diagnostics;
using TypedBuild.Hosts;
using TypedBuild.Logging;
using TypedBuild.Planning;
using TypedBuild.Provisioning;

namespace TypedBuild.Execution;

/// <summary>
/// Runs a plan. The scheduler only looks at each node's predecessor set: it repeatedly picks the ready nodes (all
/// predecessors finished) and runs them, today one at a time in plan order. Running several ready nodes at once
/// later only needs a degree of parallelism here and per-target buffered output in the log.
/// </summary>
internal sealed class BuildExecutor(
    BuildBase build,
    ExecutionPlan plan,
    BuildLog log,
    ICiHost host,
    ProvisioningContext provisioning,
    CancellationToken cancellationToken,
    ITargetCache? cache = null)
{
    private readonly HashSet<IToolRequirement> _ensured = new(ReferenceEqualityComparer.Instance);
    private readonly List<IAsyncDisposable> _lifetimes = [];
    private bool _stopRequested;

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
        try
        {
            while (NextReady() is { } run)
            {
                if (WhyNotRun(run) is { } reason)
                {
                    run.Status = TargetStatus.NotRun;
                    run.SkipReason = reason;
                    continue;
                }

                await RunTargetAsync(run).ConfigureAwait(false);
            }
        }
        finally
        {
            await DisposeLifetimesAsync().ConfigureAwait(false);
        }
    }

    private TargetRun? NextReady()
        => Runs.FirstOrDefault(r => r.Status == TargetStatus.Scheduled
            && r.Node.Predecessors.TrueForAll(p => Runs.First(x => x.Node == p).IsFinished));

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

        if (_stopRequested)
        {
            return "an earlier target failed";
        }

        var brokenDependency = run.Node.Target.DependsOn
            .Select(d => Runs.FirstOrDefault(r => r.Node.Target == d))
            .FirstOrDefault(r => r?.Status is TargetStatus.Failed or TargetStatus.NotRun or TargetStatus.Cancelled);
        return brokenDependency is null ? null : $"dependency {brokenDependency.Name} did not succeed";
    }

    private async Task RunTargetAsync(TargetRun run)
    {
        var target = run.Node.Target;
        // Assured targets (cleanup, notification) must still be able to finish after a cancellation.
        var token = target.AssuredAfterFailure && cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken;
        TargetRun.Current.Value = run;
        host.BeginGroup(run.Name);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            if (target.DynamicConditions.FirstOrDefault(c => !c.Evaluate()) is { } condition)
            {
                MarkSkipped(run, $"OnlyWhen: {condition.Text}");
                return;
            }

            if (cache is not null && await cache.IsUpToDateAsync(target, token).ConfigureAwait(false))
            {
                MarkSkipped(run, "up to date");
                return;
            }

            run.Status = TargetStatus.Running;
            foreach (var tool in target.ToolRequirements)
            {
                await EnsureOnceAsync(tool, token).ConfigureAwait(false);
            }

            foreach (var action in target.Actions)
            {
                await action(token).ConfigureAwait(false);
            }

            run.Status = TargetStatus.Succeeded;
            if (cache is not null)
            {
                await cache.RecordSuccessAsync(target, token).ConfigureAwait(false);
            }
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
            _stopRequested |= !target.ProceedAfterFailure;
            build.IsFailing = true;
            log.Error($"Target {run.Name} failed: {exception.Message}");
            log.Debug(exception.ToString());
        }
        finally
        {
            run.Duration = stopwatch.Elapsed;
            await Console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            host.EndGroup(run.Name);
            TargetRun.Current.Value = null;
        }
    }

    private void MarkSkipped(TargetRun run, string reason)
    {
        run.Status = TargetStatus.Skipped;
        run.SkipReason = reason;
        log.Information($"Skipped: {reason}");
    }

    private async Task EnsureOnceAsync(IToolRequirement tool, CancellationToken token)
    {
        if (!_ensured.Add(tool))
        {
            return;
        }

        log.Debug($"Provisioning {tool.Name}");
        if (await tool.EnsureAsync(provisioning, token).ConfigureAwait(false) is { } lifetime)
        {
            _lifetimes.Add(lifetime);
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
