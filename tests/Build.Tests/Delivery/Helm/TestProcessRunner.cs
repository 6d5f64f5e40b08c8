using CliWrap;
using CliWrap.Buffered;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>Runs processes for tests of classes that take an <see cref="IProcessRunner"/>; records every command line.</summary>
internal sealed class TestProcessRunner : IProcessRunner
{
    public List<IReadOnlyList<string>> Commands { get; } = [];

    public async Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, ProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ProcessOptions();
        var args = arguments.ToList();
        Commands.Add([executable, .. args]);
        var result = await Cli.Wrap(executable)
            .WithArguments(args)
            .WithWorkingDirectory(options.WorkingDirectory ?? Directory.GetCurrentDirectory())
            .WithEnvironmentVariables(options.Environment)
            .WithStandardInputPipe(options.StandardInput is null ? PipeSource.Null : PipeSource.FromString(options.StandardInput))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        var output = result.StandardOutput.Split('\n').Where(l => l.Length > 0).Select(l => new ProcessOutputLine(false, l))
            .Concat(result.StandardError.Split('\n').Where(l => l.Length > 0).Select(l => new ProcessOutputLine(true, l)))
            .ToList();
        if (result.ExitCode != 0 && !options.AllowNonZeroExitCode)
        {
            throw new ProcessFailedException($"{executable} {string.Join(' ', args)} exited with {result.ExitCode}: {result.StandardError}", result.ExitCode, [result.StandardError]);
        }

        return new ProcessResult(result.ExitCode, output);
    }
}
