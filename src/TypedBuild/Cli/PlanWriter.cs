using System.Globalization;
using System.Text;
using System.Text.Json;
using TypedBuild.Caching;
using TypedBuild.Planning;

namespace TypedBuild.Cli;

/// <summary><c>--plan</c>: the execution plan as text or JSON; nothing runs.</summary>
internal static class PlanWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string RenderText(ExecutionPlan plan, IReadOnlyDictionary<PlannedTarget, CacheLookup>? cache = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Execution plan for {string.Join(", ", plan.Invoked)}:").AppendLine();
        var width = plan.Targets.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var node in plan.Targets)
        {
            var status = node.IsSkipped ? $"skip ({node.SkipReason})" : RunStatus(cache?.GetValueOrDefault(node), node.Target.Cache.OutputsOutside);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {node.Order,2}. {node.Name.PadRight(width)}{status}");
            foreach (var relation in Relations(node))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      {relation}");
            }
        }

        return text.ToString();
    }

    public static string RenderJson(ExecutionPlan plan, IReadOnlyDictionary<PlannedTarget, CacheLookup>? cache = null)
    {
        var document = new PlanDocument(
            plan.Invoked.Select(t => t.Name).ToList(),
            plan.Targets.Select(n => new PlanTarget(
                n.Order,
                n.Name,
                n.Target.Description,
                n.Target.DependsOn.Select(d => d.Name).ToList(),
                n.Predecessors.Select(p => p.Name).ToList(),
                n.IsInvoked,
                n.IsSkipped,
                n.SkipReason,
                PlanCache.Of(cache?.GetValueOrDefault(n)))).ToList());
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    /// <summary>A hit that needs something outside the repository says so: only the run can look for it.</summary>
    private static string RunStatus(CacheLookup? lookup, List<OutsideOutput> outside) => lookup switch
    {
        { Hit: { } hit } when outside.Count > 0 => $"Cached (key {hit.ShortKey}{(lookup.FromRemote ? ", from the remote store" : string.Empty)}) if {string.Join(" and ", outside.Select(o => o.What))} is still there, else run",
        { Hit: { } hit, FromRemote: true } => $"Cached (key {hit.ShortKey}, from the remote store)",
        { Hit: { } hit } => $"Cached (key {hit.ShortKey})",
        { MissReason: { } reason } => $"run (cache miss: {reason})",
        _ => "run",
    };

    private static IEnumerable<string> Relations(PlannedTarget node)
    {
        var target = node.Target;
        if (target.Description is not null)
        {
            yield return target.Description;
        }

        if (target.DependsOn.Count > 0)
        {
            yield return $"depends on: {string.Join(", ", target.DependsOn)}";
        }

        var orderOnly = node.Predecessors.Select(p => p.Target).Except(target.DependsOn).ToList();
        if (orderOnly.Count > 0)
        {
            yield return $"after: {string.Join(", ", orderOnly)}";
        }

        if (target.Triggers.Count > 0)
        {
            yield return $"triggers: {string.Join(", ", target.Triggers)}";
        }
    }

    private sealed record PlanDocument(IReadOnlyList<string> Invoked, IReadOnlyList<PlanTarget> Targets);

    private sealed record PlanTarget(
        int Order,
        string Name,
        string? Description,
        IReadOnlyList<string> DependsOn,
        IReadOnlyList<string> RunsAfter,
        bool Invoked,
        bool Skipped,
        string? SkipReason,
        PlanCache? Cache);

    /// <summary>
    /// For a cacheable target: <c>Cached</c> (from the <c>local</c> or <c>remote</c> store) or <c>Miss</c>, the key
    /// of its inputs now, and why it misses.
    /// </summary>
    private sealed record PlanCache(string Status, string Key, string? Reason, string? Store)
    {
        public static PlanCache? Of(CacheLookup? lookup) => lookup switch
        {
            null => null,
            { IsHit: true } => new PlanCache("Cached", lookup.Fingerprint.Key, null, lookup.FromRemote ? "remote" : "local"),
            _ => new PlanCache("Miss", lookup.Fingerprint.Key, lookup.MissReason, null),
        };
    }
}
