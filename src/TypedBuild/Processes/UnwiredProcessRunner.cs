namespace TypedBuild.Processes;

/// <summary>Stands in until the CliWrap-based process runner is merged.</summary>
internal sealed class UnwiredProcessRunner : IProcessRunner
{
    public Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"Cannot run '{executable}': the process runner is not available in this build of TypedBuild.");
}
