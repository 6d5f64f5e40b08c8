namespace TypedBuild.Processes;

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
