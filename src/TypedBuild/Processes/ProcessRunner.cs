namespace TypedBuild.Processes;

/// <summary>How to run a child process.</summary>
public sealed record ProcessOptions
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Stream stdout and stderr into the build log (masked). When false, output is only captured.</summary>
    public bool LogOutput { get; init; } = true;

    /// <summary>When false (default) a non-zero exit code throws <see cref="ProcessFailedException"/>.</summary>
    public bool AllowNonZeroExitCode { get; init; }

    public TimeSpan? Timeout { get; init; }

    public string? StandardInput { get; init; }

    /// <summary>How many trailing output lines a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 25;
}

public sealed record ProcessOutputLine(bool IsError, string Text);

public sealed record ProcessResult(int ExitCode, IReadOnlyList<ProcessOutputLine> Output)
{
    public string StandardOutput => string.Join('\n', Output.Where(l => !l.IsError).Select(l => l.Text));

    public string StandardError => string.Join('\n', Output.Where(l => l.IsError).Select(l => l.Text));
}

/// <summary>A child process exited with a non-zero code. The message holds the command and the last lines of output, masked.</summary>
public sealed class ProcessFailedException(string message, int exitCode, IReadOnlyList<string> tail) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Tail { get; } = tail;
}

/// <summary>
/// Runs child processes: streams their output through the masked build log, kills the whole process tree when
/// the token is cancelled (Ctrl+C, SIGTERM), and turns a non-zero exit into <see cref="ProcessFailedException"/>.
/// </summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        ProcessOptions? options = null,
        CancellationToken cancellationToken = default);
}
