using System.Collections.Concurrent;

namespace TypedBuild.Tests.Processes;

/// <summary>Test double of the build log: keeps every line and lets a test wait for one to arrive.</summary>
internal sealed class RecordingLog : IBuildLog
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<(string Text, TaskCompletionSource Arrived)> _waiters = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public string Text => string.Join('\n', _lines);

    public void Debug(string message) => Add($"DBG {message}");

    public void Information(string message) => Add(message);

    public void Warning(string message, string? file = null, int? line = null) => Add($"WRN {message}");

    public void Error(string message, string? file = null, int? line = null) => Add($"ERR {message}");

    public Task WaitForAsync(string text)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((text, arrived));
        if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            arrived.TrySetResult();
        }

        return arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        foreach (var (text, arrived) in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
        {
            arrived.TrySetResult();
        }
    }
}
