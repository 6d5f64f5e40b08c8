using System.Collections.Concurrent;
using System.ComponentModel;
using CliWrap;

namespace TypedBuild.Processes;

/// <summary>
/// The engine's <see cref="IProcessRunner"/>, built on CliWrap. Everything it prints or captures passes through the
/// secret masker first: the command line, each output line, and the failure message.
/// </summary>
public sealed class ProcessRunner(IBuildLog log, ISecretMasker masker) : IProcessRunner
{
    /// <summary>How long a cancelled tree gets to react to SIGTERM before it is killed.</summary>
    internal TimeSpan TerminationGrace { get; init; } = TimeSpan.FromSeconds(3);

    public async Task<ProcessResult> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        ProcessOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        options ??= new ProcessOptions();
        var argumentList = arguments.ToList();
        var commandLine = masker.Mask(CommandLine.Format(executable, argumentList));
        log.Information(options.WorkingDirectory is null ? $"> {commandLine}" : $"> {commandLine}  (in {options.WorkingDirectory})");

        var output = new ConcurrentQueue<ProcessOutputLine>();
        var command = CliWrap.Cli.Wrap(executable)
            .WithArguments(argumentList)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(options.Environment)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Receive(output, options, isError: false, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Receive(output, options, isError: true, line)));
        if (options.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(options.WorkingDirectory);
        }

        if (options.StandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(options.StandardInput));
        }

        using var timeout = new CancellationTokenSource(options.Timeout ?? Timeout.InfiniteTimeSpan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var abandon = new CancellationTokenSource();
        CommandTask<CommandResult> running;
        try
        {
            running = command.ExecuteAsync(abandon.Token);
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"Cannot start '{executable}': {exception.Message}. Is it installed and on PATH (PATH={Environment.GetEnvironmentVariable("PATH")})?",
                exception);
        }

        Task termination = Task.CompletedTask;
        await using (stop.Token.Register(() => termination = TerminateAsync(running.ProcessId, abandon)).ConfigureAwait(false))
        {
            CommandResult? result = null;
            try
            {
                result = await running;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Reported below, once the whole tree is gone.
            }

            if (stop.IsCancellationRequested)
            {
                await termination.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException(Failure($"timed out after {options.Timeout}", commandLine, output, options));
            }

            var processResult = new ProcessResult(result!.ExitCode, output.ToList());
            if (result.ExitCode != 0 && !options.AllowNonZeroExitCode)
            {
                var tail = Tail(output, options);
                throw new ProcessFailedException(Failure($"exited with code {result.ExitCode}", commandLine, output, options), result.ExitCode, tail);
            }

            return processResult;
        }
    }

    private async Task TerminateAsync(int processId, CancellationTokenSource abandon)
    {
        await ProcessTree.TerminateAsync(processId, TerminationGrace).ConfigureAwait(false);
        await abandon.CancelAsync().ConfigureAwait(false);
    }

    private void Receive(ConcurrentQueue<ProcessOutputLine> output, ProcessOptions options, bool isError, string line)
    {
        var masked = masker.Mask(line);
        output.Enqueue(new ProcessOutputLine(isError, masked));
        if (options.LogOutput)
        {
            // Tools write progress to stderr: it is output, not a build warning.
            log.Information(masked);
        }
    }

    private static List<string> Tail(IEnumerable<ProcessOutputLine> output, ProcessOptions options)
        => output.Select(l => l.Text).TakeLast(Math.Max(0, options.FailureTailLines)).ToList();

    private static string Failure(string what, string commandLine, IEnumerable<ProcessOutputLine> output, ProcessOptions options)
    {
        var tail = Tail(output, options);
        var message = $"Process {what}: {commandLine}";
        return tail.Count == 0
            ? message
            : $"{message}{Environment.NewLine}Last {tail.Count} line(s) of output:{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
    }
}
