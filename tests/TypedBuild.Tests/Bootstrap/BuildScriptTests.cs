using System.Globalization;
using System.Text.RegularExpressions;

namespace TypedBuild.Tests.Bootstrap;

/// <summary>End to end: <c>build.sh</c> compiling and running a sample build in a temporary repository.</summary>
[Collection(SampleRepository.Collection)]
public sealed partial class BuildScriptTests(SampleRepository sample) : IClassFixture<SampleRepository>
{
    private const string CompilingLine = "Compiling the build";

    [Fact]
    public void The_first_run_compiles_the_build_and_runs_the_default_target()
    {
        Assert.True(sample.FirstRun.ExitCode == 0, sample.FirstRun.Output);
        Assert.Contains(CompilingLine, sample.FirstRun.Output);
        Assert.Contains("hello sample", sample.FirstRun.Output);
        Assert.True(File.Exists(Path.Combine(sample.Root, ".nuke", "build.schema.json")));
    }

    [Fact]
    public void A_run_with_unchanged_sources_does_not_compile_and_passes_arguments_through()
    {
        var run = sample.Run("Hello", "--name", "World");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain(CompilingLine, run.Output);
        Assert.Contains("hello World", run.Output);
        Assert.Matches(@"Build succeeded in \d+:\d\d$", run.Output.TrimEnd());
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public void A_changed_source_is_compiled_before_the_run()
    {
        sample.WriteStamp("v2");

        var changed = sample.Run("Stamp");
        var unchanged = sample.Run("Stamp");

        Assert.True(changed.ExitCode == 0, changed.Output);
        Assert.Contains(CompilingLine, changed.Output);
        Assert.Contains("stamp v2", changed.Output);
        Assert.DoesNotContain(CompilingLine, unchanged.Output);
    }

    [Fact]
    public void A_failing_target_exits_with_1()
    {
        var run = sample.Run("Fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("this target fails", run.Output);
        Assert.Matches(@"Build failed in \d+:\d\d$", run.Output.TrimEnd());
    }

    [Fact]
    public void An_unknown_target_exits_with_2_naming_the_closest()
    {
        var run = sample.Run("Helo");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Helo'. Did you mean 'Hello'?", run.Output);
    }

    [Fact]
    public void Help_and_plan_run_nothing()
    {
        Assert.Contains("Greets", sample.Run("--help").Output);
        var plan = sample.Run("Hello", "--plan");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("1. Hello", plan.Output);
        Assert.DoesNotContain("hello sample", plan.Output);
    }

    [Fact]
    public async Task Sigterm_cancels_the_build_kills_the_child_process_and_exits_with_130()
    {
        var childPid = 0;
        var run = await sample.RunAsync(["Sleep"], async (process, output) =>
        {
            childPid = await WaitForChildPidAsync(output);
            _ = Kill(process.Id, SigTerm);
        });

        Assert.Equal(130, run.ExitCode);
        Assert.Matches(@"Sleep\s+│ Cancelled", run.Output);
        Assert.False(IsRunning(childPid), $"child process {childPid} (sleep) survived the cancelled build");
    }

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public async Task A_signal_during_the_bootstrap_compile_stops_the_compiler_and_exits_with_130(int signal)
    {
        sample.WriteStamp($"signalled-{signal}");
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var run = await sample.RunAsync(["Stamp"], async (process, output) =>
        {
            await WaitForAsync(output, CompilingLine);
            await Task.Delay(TimeSpan.FromSeconds(2));
            elapsed.Restart();
            _ = Kill(process.Id, signal);
        });

        Assert.Equal(130, run.ExitCode);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"build.sh took {elapsed.Elapsed} to stop");
        Assert.Empty(ProcessesMentioning(sample.Root));
        Assert.DoesNotContain("stamp signalled", run.Output);
    }

    [Fact]
    public async Task A_second_sigterm_kills_children_that_ignore_sigterm_and_exits_with_130()
    {
        var childPid = 0;
        var run = await sample.RunAsync(["Stubborn"], async (process, output) =>
        {
            childPid = await WaitForChildPidAsync(output);
            _ = Kill(process.Id, SigTerm);
            await Task.Delay(300);
            _ = Kill(process.Id, SigTerm);
        });

        Assert.Equal(130, run.ExitCode);
        Assert.False(IsRunning(childPid), $"child process {childPid}, which ignores SIGTERM, survived the second signal");
    }

    [Fact]
    public void A_multi_line_secret_and_one_starting_with_a_dash_never_appear_in_any_stream()
    {
        const string key = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA7x\n-----END KEY-----";
        var multiLine = sample.RunWith(new Dictionary<string, string> { ["GITLAB_CI"] = "true", ["TOKEN"] = key }, "Leak");
        var dashed = sample.Run("Leak", "--token", "-Xabc-secret-1");

        Assert.True(multiLine.ExitCode == 0, multiLine.Output);
        Assert.DoesNotContain("MIIEpAIBAAKCAQEA7x", multiLine.Output);
        Assert.DoesNotContain("BEGIN KEY", multiLine.Output);
        Assert.Contains("log sees ***", multiLine.Output);
        Assert.True(dashed.ExitCode == 0, dashed.Output);
        Assert.DoesNotContain("Xabc-secret-1", dashed.Output);
        Assert.Contains("stderr sees ***", dashed.StandardError);
    }

    [Fact]
    public void Plan_json_on_github_is_one_json_document_on_stdout_and_diagnostics_are_plain_with_host_local()
    {
        var github = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["TOKEN"] = "tok-123456" };

        var plan = sample.RunWith(github, "Hello", "--plan", "--json");
        var error = sample.RunWith(github, "Helo", "--plan", "--json");
        var local = sample.RunWith(github, "Fail", "--host", "local");

        Assert.Equal(0, plan.ExitCode);
        using (var json = System.Text.Json.JsonDocument.Parse(plan.StandardOutput))
        {
            Assert.Equal("Hello", json.RootElement.GetProperty("invoked")[0].GetString());
        }

        Assert.Equal(2, error.ExitCode);
        Assert.Equal("", error.StandardOutput);
        Assert.Contains("Unknown target 'Helo'", error.StandardError);
        Assert.Equal(1, local.ExitCode);
        Assert.DoesNotContain('\u001b', local.Output);
    }

    [Fact]
    public void Missing_tools_on_ci_are_posted_naming_the_tool_and_slack_being_down_keeps_the_exit_code()
    {
        using var receiver = new Notifications.LoopbackReceiver();
        var ci = new Dictionary<string, string> { ["CONCOURSE_CI"] = "true", ["SLACK_WEBHOOK_URL"] = receiver.Url.AbsoluteUri };
        var down = new Dictionary<string, string> { ["CONCOURSE_CI"] = "true", ["SLACK_WEBHOOK_URL"] = Notifications.LoopbackReceiver.DownUrl.AbsoluteUri };

        var posted = sample.RunWith(ci, "NeedsTool");
        var unreachable = sample.RunWith(down, "NeedsTool");
        var usage = sample.RunWith(down, "Hello", "--bogus");

        Assert.Equal(1, posted.ExitCode);
        var body = Assert.Single(receiver.Bodies);
        Assert.Contains("frobnicate: frobnicate is not on PATH. Install: apt-get install frobnicate", body);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Slack notification not delivered", unreachable.Output);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Slack notification not delivered", usage.Output);
    }

    private static async Task WaitForAsync(System.Text.StringBuilder output, string text)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            lock (output)
            {
                if (output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"build.sh never printed '{text}'.");
    }

    /// <summary>Live processes whose command line names <paramref name="path"/>: what a stopped bootstrap must not leave behind.</summary>
    private static List<string> ProcessesMentioning(string path)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(path, StringComparison.Ordinal) && IsRunning(int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture)))
                {
                    found.Add($"{Path.GetFileName(directory)}: {commandLine}");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private const int SigTerm = 15;
    private const int SigInt = 2;

    private static async Task<int> WaitForChildPidAsync(System.Text.StringBuilder output)
    {
        for (var attempt = 0; attempt < 1200; attempt++)
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (ChildPid().Match(text) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The Sleep target never started its child process.");
    }

    /// <summary>Alive and not a zombie (an orphan may wait for a reaper that a container does not have).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"child-pid (\d+)")]
    private static partial Regex ChildPid();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

/// <summary><c>build.sh</c> without a matching SDK: it compiles nothing and says how to install one.</summary>
public sealed class BuildScriptSdkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "typedbuild-nosdk-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_missing_sdk_exits_with_2_and_prints_the_install_commands()
    {
        Directory.CreateDirectory(Path.Combine(_root, "build"));
        File.Copy(Path.Combine(SampleRepository.RepositoryRoot, "build.sh"), Path.Combine(_root, "build.sh"));
        await File.WriteAllTextAsync(Path.Combine(_root, "global.json"), """{ "sdk": { "version": "99.0.100", "rollForward": "latestFeature" } }""");
        var startInfo = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(_root, "build.sh"), "--help"]) { RedirectStandardError = true, RedirectStandardOutput = true };

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("no .NET SDK matching global.json (version 99.0.100, rollForward latestFeature)", error);
        Assert.Contains("dotnet-install.sh | bash -s -- --version 99.0.100 --install-dir", error);
        Assert.Contains("apt-get install dotnet-sdk-99.0", error);
        Assert.DoesNotContain("Compiling", error);
    }
}
