namespace TypedBuild.Processes;

/// <summary>A child process exited with a non-zero code. The message holds the command and the last lines of output, masked.</summary>
public sealed class ProcessFailedException(string message, int exitCode, IReadOnlyList<string> tail) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Tail { get; } = tail;
}
