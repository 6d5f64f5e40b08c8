using System.Runtime.InteropServices;

namespace TypedBuild.Execution;

/// <summary>
/// Turns Ctrl+C and SIGTERM (what GitLab and Concourse send when a job is cancelled) into a cancelled token, so
/// the running target stops, assured targets still run and the summary is printed. A second signal kills every
/// process the build started (also those that ignore SIGTERM) and ends the build with 130 at once.
/// </summary>
internal sealed class BuildCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration? _terminate;

    public BuildCancellation()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate?.Dispose();
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = TryCancel();

    private void OnSignal(PosixSignalContext context) => context.Cancel = TryCancel();

    /// <summary>True (keep the process alive) the first time; the second time the build's process trees die with it.</summary>
    private bool TryCancel()
    {
        if (_source.IsCancellationRequested)
        {
            Processes.ProcessTree.KillDescendantsOf(Environment.ProcessId);
            Environment.Exit(ExitCodes.Cancelled);
        }

        _source.Cancel();
        return true;
    }
}
