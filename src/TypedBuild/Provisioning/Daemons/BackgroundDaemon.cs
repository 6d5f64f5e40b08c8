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

    private BackgroundDaemon(string name, Process process, AbsolutePath logFile, IBuildLog log, bool isDetached)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
        _log = log;
        IsDetached = isDetached;
    }

    /// <summary>Started to outlive the build: disposing it leaves it running.</summary>
    public bool IsDetached { get; }

    public string Name { get; }

    public AbsolutePath LogFile { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="executable"/> and waits until <paramref name="isReady"/> says so. A
    /// <paramref name="detached"/> daemon is started in a session of its own and orphaned at once, so it is outside the
    /// build's process tree that is torn down when the build ends, and disposing it leaves it running.
    /// </summary>
    public static async Task<BackgroundDaemon> StartAsync(
        string name,
        string executable,
        IReadOnlyList<string> arguments,
        AbsolutePath logFile,
        Func<CancellationToken, Task<bool>> isReady,
        TimeSpan startTimeout,
        IBuildLog log,
        CancellationToken cancellationToken,
        bool detached = false)
    {
        Directory.CreateDirectory(logFile.Parent);
        log.Information($"Starting {name}: {CommandLine.Format(executable, arguments)} (log: {logFile}){(detached ? ", to keep running after the build" : "")}");

        // The shell redirects the daemon's output to its log file, so it never depends on pipes of the build.
        var startInfo = new ProcessStartInfo(detached ? "setsid" : "bash") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = detached };
        var script = "exec \"$0\" \"$@\" >>\"$TB_DAEMON_LOG\" 2>&1 </dev/null";
        foreach (var argument in (detached ? ["bash", "-c", $"({script}) & echo $!"] : new[] { "-c", script }).Append(executable).Concat(arguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["TB_DAEMON_LOG"] = logFile;
        var started = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {executable}.");
        started.StandardInput.Close();
        var process = detached ? await OrphanOfAsync(started, name, cancellationToken).ConfigureAwait(false) : started;
        var daemon = new BackgroundDaemon(name, process, logFile, log, detached);

        var deadline = DateTime.UtcNow + startTimeout;
        while (!await isReady(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline || cancellationToken.IsCancellationRequested)
            {
                var reason = $"did not answer within {startTimeout.TotalSeconds:0} s";
                if (process.HasExited)
                {
                    // A detached daemon is no child of the build, so its exit code cannot be read.
                    reason = detached ? "exited" : $"exited with code {process.ExitCode}";
                }

                await daemon.StopAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"{name} {reason}. Last lines of {logFile}:{Environment.NewLine}{LogTail(logFile)}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        log.Information(detached ? $"{name} is up (pid {process.Id}) and keeps running after the build. Stop it with: kill {process.Id}" : $"{name} is up (pid {process.Id}).");
        return daemon;
    }

    /// <summary>The daemon the detaching shell started and left: its pid is the one line the shell prints.</summary>
    private static async Task<Process> OrphanOfAsync(Process shell, string name, CancellationToken cancellationToken)
    {
        var pid = await shell.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        await shell.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        shell.Dispose();
        return int.TryParse(pid, out var id)
            ? Process.GetProcessById(id)
            : throw new InvalidOperationException($"Starting {name} printed no process id ({pid}).");
    }

    public async ValueTask DisposeAsync()
    {
        if (IsDetached)
        {
            _process.Dispose();
            return;
        }

        await StopAsync().ConfigureAwait(false);
    }

    private async Task StopAsync()
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
