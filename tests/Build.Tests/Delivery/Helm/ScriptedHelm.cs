using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// Plays <c>helm</c> for the deployer's tests: answers each subcommand from a script (history outputs in turn,
/// failures where asked) and records every command line, so a test can assert the exact sequence Promote runs.
/// </summary>
internal sealed class ScriptedHelm(int major) : IProcessRunner
{
    private readonly Queue<string?> _histories = new();

    public List<string> Commands { get; } = [];

    /// <summary>Subcommands (e.g. "upgrade", "test") that exit with 1 and this error.</summary>
    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>What <c>helm get values -o json</c> prints.</summary>
    public string Values { get; set; } = "{}";

    /// <summary><c>helm history -o json</c> outputs, served in turn (the last repeats); null means "release: not found".</summary>
    public ScriptedHelm WithHistories(params string?[] histories)
    {
        foreach (var history in histories)
        {
            _histories.Enqueue(history);
        }

        return this;
    }

    public Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        Commands.Add(string.Join(' ', args));
        var subcommand = args[0] == "get" ? "get values" : args[0];
        if (Failures.TryGetValue(subcommand, out var failure))
        {
            return options?.AllowNonZeroExitCode == true
                ? Task.FromResult(Result(1, stderr: failure))
                : throw new ProcessFailedException($"helm {args[0]} exited with code 1: {failure}", 1, [failure]);
        }

        return Task.FromResult(subcommand switch
        {
            "version" => Result(0, major == 3 ? "v3.18.0+gcc58e3f" : "v4.1.4+g05fa379"),
            "history" => NextHistory() is { } history ? Result(0, history) : Result(1, stderr: "Error: release: not found"),
            "get values" => Result(0, Values),
            _ => Result(0, $"{args[0]} done"),
        });
    }

    private string? NextHistory() => _histories.Count > 1 ? _histories.Dequeue() : _histories.TryPeek(out var last) ? last : null;

    private static ProcessResult Result(int exitCode, string stdout = "", string stderr = "") =>
        new(exitCode, [.. stdout.Split('\n').Where(l => l.Length > 0).Select(l => new ProcessOutputLine(false, l)), .. stderr.Split('\n').Where(l => l.Length > 0).Select(l => new ProcessOutputLine(true, l))]);
}
