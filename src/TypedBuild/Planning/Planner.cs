using TypedBuild.Definition;

namespace TypedBuild.Planning;

/// <summary>What <c>--skip</c> asked for: nothing, everything but the invoked targets, or named targets.</summary>
internal sealed record SkipRequest(bool AllButInvoked, IReadOnlyList<ExecutableTarget> Targets)
{
    public static SkipRequest None { get; } = new(false, []);

    public const string Reason = "via --skip";
}

/// <summary>
/// Builds the execution plan: one graph of all relations, cycles rejected, the invoked targets plus everything they
/// pull in (dependencies, triggers; repeated until stable), ordered topologically with declaration order breaking ties.
/// </summary>
internal static class Planner
{
    public static ExecutionPlan Plan(
        IReadOnlyList<ExecutableTarget> all,
        IReadOnlyList<ExecutableTarget> invoked,
        SkipRequest skip)
    {
        ThrowOnCycle(all);
        var scheduled = Schedule(all, invoked);
        var ordered = Order(scheduled, all);
        var nodes = ordered.ToDictionary(t => t, t => new PlannedTarget(t, invoked.Contains(t)));
        foreach (var (target, node) in nodes)
        {
            node.Order = ordered.IndexOf(target) + 1;
            node.Predecessors.AddRange(RunsAfter(target, all).Where(nodes.ContainsKey).Distinct().Select(p => nodes[p]).OrderBy(p => p.Order));
        }

        var plan = new ExecutionPlan(nodes.Values.OrderBy(n => n.Order).ToList(), invoked);
        ApplySkip(plan, skip);
        CascadeSkips(plan);
        return plan;
    }

    /// <summary>Evaluates OnlyWhenStatic conditions of the targets still to run, then skips what only they needed.</summary>
    public static void ApplyStaticConditions(ExecutionPlan plan)
    {
        foreach (var node in plan.ToRun)
        {
            var failed = node.Target.StaticConditions.FirstOrDefault(c => !c.Evaluate());
            if (failed is not null)
            {
                node.SkipReason = $"OnlyWhen: {failed.Text}";
            }
        }

        CascadeSkips(plan);
    }

    /// <summary>Targets that must finish before <paramref name="target"/> starts, from all six relations.</summary>
    internal static IEnumerable<ExecutableTarget> RunsAfter(ExecutableTarget target, IReadOnlyList<ExecutableTarget> all)
        => target.DependsOn
            .Concat(target.After)
            .Concat(target.TriggeredBy)
            .Concat(all.Where(o => o.DependentFor.Contains(target) || o.Before.Contains(target) || o.Triggers.Contains(target)));

    /// <summary>Targets that <paramref name="target"/> pulls into the plan: its dependencies and the targets it triggers.</summary>
    internal static IEnumerable<ExecutableTarget> PullsIn(ExecutableTarget target, IReadOnlyList<ExecutableTarget> all)
        => target.DependsOn
            .Concat(target.Triggers)
            .Concat(all.Where(o => o.DependentFor.Contains(target) || o.TriggeredBy.Contains(target)));

    private static HashSet<ExecutableTarget> Schedule(IReadOnlyList<ExecutableTarget> all, IReadOnlyList<ExecutableTarget> invoked)
    {
        var scheduled = new HashSet<ExecutableTarget>();
        var pending = new Queue<ExecutableTarget>(invoked);
        while (pending.TryDequeue(out var target))
        {
            if (scheduled.Add(target))
            {
                foreach (var pulled in PullsIn(target, all))
                {
                    pending.Enqueue(pulled);
                }
            }
        }

        return scheduled;
    }

    private static List<ExecutableTarget> Order(HashSet<ExecutableTarget> scheduled, IReadOnlyList<ExecutableTarget> all)
    {
        var predecessors = scheduled.ToDictionary(
            t => t,
            t => RunsAfter(t, all).Where(scheduled.Contains).ToHashSet());
        var ordered = new List<ExecutableTarget>();
        var ready = new PriorityQueue<ExecutableTarget, int>();
        foreach (var target in scheduled.Where(t => predecessors[t].Count == 0))
        {
            ready.Enqueue(target, target.Index);
        }

        while (ready.TryDequeue(out var next, out _))
        {
            ordered.Add(next);
            foreach (var (target, before) in predecessors)
            {
                if (before.Remove(next) && before.Count == 0)
                {
                    ready.Enqueue(target, target.Index);
                }
            }
        }

        return ordered;
    }

    private static void ThrowOnCycle(IReadOnlyList<ExecutableTarget> all)
    {
        var state = new Dictionary<ExecutableTarget, bool>(); // false: on the current path, true: done
        var path = new List<ExecutableTarget>();

        List<ExecutableTarget>? Visit(ExecutableTarget target)
        {
            if (state.TryGetValue(target, out var done))
            {
                return done ? null : path.Skip(path.IndexOf(target)).Append(target).ToList();
            }

            state[target] = false;
            path.Add(target);
            foreach (var before in RunsAfter(target, all).OrderBy(t => t.Index))
            {
                if (Visit(before) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[target] = true;
            return null;
        }

        foreach (var target in all)
        {
            if (Visit(target) is { } cycle)
            {
                throw new UsageException(
                    $"The targets form a cycle: {string.Join(" -> ", cycle)}. Remove one of these relations (DependsOn, After, Before, Triggers).");
            }
        }
    }

    private static void ApplySkip(ExecutionPlan plan, SkipRequest skip)
    {
        foreach (var node in plan.Targets)
        {
            if ((skip.AllButInvoked && !node.IsInvoked) || skip.Targets.Contains(node.Target))
            {
                node.SkipReason = SkipRequest.Reason;
            }
        }
    }

    /// <summary>A target that only skipped targets pulled in is skipped with them (NUKE's WhenSkipped default).</summary>
    private static void CascadeSkips(ExecutionPlan plan)
    {
        var all = plan.Targets.Select(t => t.Target).ToList();
        var byTarget = plan.Targets.ToDictionary(t => t.Target);
        var needed = new HashSet<PlannedTarget>();
        var pending = new Queue<PlannedTarget>(plan.Targets.Where(t => t.IsInvoked && !t.IsSkipped));
        while (pending.TryDequeue(out var node))
        {
            if (!needed.Add(node))
            {
                continue;
            }

            foreach (var pulled in PullsIn(node.Target, all).Where(byTarget.ContainsKey).Select(t => byTarget[t]).Where(t => !t.IsSkipped))
            {
                pending.Enqueue(pulled);
            }
        }

        foreach (var node in plan.Targets.Where(t => !t.IsSkipped && !needed.Contains(t)))
        {
            var skippedPuller = plan.Targets.FirstOrDefault(t => t.IsSkipped && PullsIn(t.Target, all).Contains(node.Target));
            node.SkipReason = skippedPuller is null ? "not needed" : $"needed only by skipped {skippedPuller.Name}";
        }
    }
}
