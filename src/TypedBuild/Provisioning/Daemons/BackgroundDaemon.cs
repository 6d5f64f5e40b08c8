using System.Diagnostics;
using TypedBuild.Processes;

namespace TypedBuild.Provisioning.Daemons;

/// <summary>
/// A server process the build started (dockerd, a registry). Its output goes to a log file under <c>.tools/</c>;
/// disposing it stops the process tree (SIGTERM, then SIGKILL after a grace period).
/// </summary>
public sealed class BackgroundDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly IBuildLog _log;

    private BackgroundDaemon(string name, Process process, AbsolutePath logFile, IBuildLog log)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _log = log;
    }

    public string Name { get; }

    public AbsolutePath LogFile { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="executable"/> and waits until <paramref name="isReady"/> says so.</summary>
    public static async Task<BackgroundDaemon> StartAsync(
        string name,
        string executable,
        IReadOnlyList<string> arguments,
        AbsolutePath logFile,
        Func<CancellationToken, Task<bool>> isReady,
        TimeSpan startTimeout,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(logFile.Parent);
        log.Information($"Starting {name}: {CommandLine.Format(executable, arguments)} (log: {logFile})");

        // The shell redirects the daemon's output to its log file, so it never depends on pipes of the build.
        var startInfo = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardInput = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$TB_DAEMON_LOG\" 2>&1 </dev/null");
        startInfo.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["TB_DAEMON_LOG"] = logFile;
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.StandardInput.Close();
        var daemon = new BackgroundDaemon(name, process, logFile, log);

        var deadline = DateTime.UtcNow + startTimeout;
        while (!await isReady(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline || cancellationToken.IsCancellationRequested)
            {
                var reason = process.HasExited ? $"exited with code {process.ExitCode}" : $"did not answer within {startTimeout.TotalSeconds:0} s";
                await daemon.DisposeAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"{name} {reason}. Last lines of {logFile}:{Environment.NewLine}{LogTail(logFile)}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        log.Information($"{name} is up (pid {process.Id}).");
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _log.Information($"Stopping {Name} (pid {_process.Id}), which this build started.");
            await ProcessTree.TerminateAsync(_process.Id, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    internal static string LogTail(AbsolutePath logFile, int lines = 20)
        => logFile.Exists ? string.Join(Environment.NewLine, File.ReadLines(logFile).TakeLast(lines)) : "(no log written)";
}
