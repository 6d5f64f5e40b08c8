namespace TypedBuild.Processes;

public sealed record ProcessOutputLine(bool IsError, string Text);

public sealed record ProcessResult(int ExitCode, IReadOnlyList<ProcessOutputLine> Output)
{
    public string StandardOutput => string.Join('\n', Output.Where(l => !l.IsError).Select(l => l.Text));

    public string StandardError => string.Join('\n', Output.Where(l => l.IsError).Select(l => l.Text));
}
