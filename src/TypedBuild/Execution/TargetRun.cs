using TypedBuild.Planning;

namespace TypedBuild.Execution;

/// <summary>The run-time state of one planned target; becomes a <see cref="TargetResult"/> at the end.</summary>
internal sealed class TargetRun(PlannedTarget node)
{
    private readonly List<KeyValuePair<string, string>> _notes = [];
    private readonly Lock _lock = new();

    /// <summary>The target whose body is running on this async flow; read by <see cref="BuildBase.ReportSummary"/>.</summary>
    public static AsyncLocal<TargetRun?> Current { get; } = new();

    public PlannedTarget Node { get; } = node;

    public string Name => Node.Name;

    public TargetStatus Status { get; set; } = node.IsSkipped ? TargetStatus.Skipped : TargetStatus.Scheduled;

    public string? SkipReason { get; set; } = node.SkipReason;

    public string? ErrorMessage { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>When the target started, from the start of the execution.</summary>
    public TimeSpan Start { get; set; }

    /// <summary>The cache key of the entry this target was restored from or recorded as.</summary>
    public string? CacheKey { get; set; }

    /// <summary>The entry came from the remote cache store in this build (the summary says so).</summary>
    public bool CachedRemotely { get; set; }

    public bool IsFinished => Status is not (TargetStatus.Scheduled or TargetStatus.Running);

    public void AddNote(string key, string value)
    {
        lock (_lock)
        {
            _notes.Add(new(key, value));
        }
    }

    public IReadOnlyList<KeyValuePair<string, string>> Notes
    {
        get
        {
            lock (_lock)
            {
                return [.. _notes];
            }
        }
    }

    public TargetResult ToResult()
    {
        lock (_lock)
        {
            return new TargetResult(Name, Status, Duration, SkipReason, ErrorMessage, [.. _notes], CacheKey, Start, CachedRemotely);
        }
    }
}
