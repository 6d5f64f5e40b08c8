using TypedBuild.Processes;

namespace TypedBuild.Tests.Processes;

public class ProcessRunnerTests
{
    private const string Secret = "hunter2-s3cr3t";
    private readonly RecordingLog _log = new();
    private readonly ProcessRunner _runner;

    public ProcessRunnerTests() => _runner = new ProcessRunner(_log, new FakeSecretMasker(Secret)) { TerminationGrace = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Streams_each_line_to_the_log_after_the_command_line_and_captures_both_streams()
    {
        var result = await _runner.RunAsync("bash", ["-c", "echo one; echo two >&2; echo three"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("one\nthree", result.StandardOutput);
        Assert.Equal("two", result.StandardError);
        Assert.StartsWith("> bash -c 'echo one;", _log.Lines[0], StringComparison.Ordinal);
        Assert.Equal(["one", "three"], _log.Lines.Where(l => l is "one" or "three"));
        Assert.Contains("two", _log.Lines);
    }

    [Fact]
    public async Task Masks_secrets_in_command_line_log_and_captured_output()
    {
        var result = await _runner.RunAsync("bash", ["-c", $"echo token={Secret}; echo {Secret} >&2", Secret]);

        Assert.DoesNotContain(Secret, _log.Text, StringComparison.Ordinal);
        Assert.Contains("token=***", _log.Lines);
        Assert.EndsWith("' ***", _log.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_zero_exit_throws_with_masked_command_exit_code_and_output_tail()
    {
        var options = new ProcessOptions { FailureTailLines = 2 };

        var failure = await Assert.ThrowsAsync<ProcessFailedException>(
            () => _runner.RunAsync("bash", ["-c", $"echo first; echo second; echo third {Secret}; exit 3"], options));

        Assert.Equal(3, failure.ExitCode);
        Assert.Equal(["second", "third ***"], failure.Tail);
        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("bash -c", failure.Message, StringComparison.Ordinal);
        Assert.Contains("third ***", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith($"Last 2 line(s) of output:{Environment.NewLine}second{Environment.NewLine}third ***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_zero_exit_is_returned_when_allowed()
    {
        var result = await _runner.RunAsync("bash", ["-c", "exit 4"], new ProcessOptions { AllowNonZeroExitCode = true });

        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public async Task Applies_working_directory_environment_and_standard_input()
    {
        var directory = Directory.CreateTempSubdirectory("tb-proc-").FullName;
        Environment.SetEnvironmentVariable("TB_TEST_INHERITED", "inherited");
        try
        {
            var options = new ProcessOptions
            {
                WorkingDirectory = directory,
                Environment = new Dictionary<string, string?> { ["TB_TEST_ADDED"] = "added", ["TB_TEST_INHERITED"] = null },
                StandardInput = "from stdin\n",
                LogOutput = false,
            };

            var result = await _runner.RunAsync(
                "bash", ["-c", "pwd; echo \"${TB_TEST_ADDED}|${TB_TEST_INHERITED-unset}\"; cat"], options);

            Assert.Equal($"{directory}\nadded|unset\nfrom stdin", result.StandardOutput);
            Assert.DoesNotContain("from stdin", _log.Text, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TB_TEST_INHERITED", null);
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task Unknown_executable_gets_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _runner.RunAsync("tb-no-such-tool", []));

        Assert.Contains("Cannot start 'tb-no-such-tool'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        var options = new ProcessOptions { Environment = new Dictionary<string, string?> { ["TB_TREE_MARKER"] = marker } };

        var running = _runner.RunAsync(
            "bash", ["-c", "sleep 300 & bash -c 'sleep 300 & wait' & echo started; wait"], options, cancellation.Token);
        await _log.WaitForAsync("started");
        await WaitUntilAsync(() => ProcessesWithMarker(marker).Count >= 4);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Empty(ProcessesWithMarker(marker));
    }

    [Fact]
    public async Task Cancellation_kills_a_tree_that_ignores_sigterm()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var cancellation = new CancellationTokenSource();
        var options = new ProcessOptions { Environment = new Dictionary<string, string?> { ["TB_TREE_MARKER"] = marker } };

        var running = _runner.RunAsync(
            "bash", ["-c", "trap '' TERM; sleep 300 & echo started; wait; wait"], options, cancellation.Token);
        await _log.WaitForAsync("started");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Empty(ProcessesWithMarker(marker));
    }

    [Fact]
    public async Task Timeout_kills_the_process_and_reports_the_command()
    {
        var marker = Guid.NewGuid().ToString("N");
        var options = new ProcessOptions
        {
            Timeout = TimeSpan.FromSeconds(2),
            Environment = new Dictionary<string, string?> { ["TB_TREE_MARKER"] = marker },
        };

        var error = await Assert.ThrowsAsync<TimeoutException>(() => _runner.RunAsync("bash", ["-c", "echo waiting; sleep 300"], options));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        Assert.Contains("waiting", error.Message, StringComparison.Ordinal);
        Assert.Empty(ProcessesWithMarker(marker));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; !condition(); attempt++)
        {
            Assert.True(attempt < 200, "the process tree did not come up");
            await Task.Delay(25);
        }
    }

    /// <summary>Live (non-zombie) processes whose environment carries the marker: independent of the runner's own tree walk.</summary>
    private static List<int> ProcessesWithMarker(string marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var alive = stat[(stat.LastIndexOf(')') + 2)] != 'Z';
                if (alive && File.ReadAllText(Path.Combine(directory, "environ")).Contains($"TB_TREE_MARKER={marker}", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return found;
    }
}
