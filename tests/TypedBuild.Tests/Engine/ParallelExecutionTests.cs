using System.Text.RegularExpressions;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>
/// <c>--parallel N</c>: independent targets at once, resources held alone, output kept per target, and failures
/// and cancellation ending with the statuses and exit codes of a serial run.
/// </summary>
public sealed partial class ParallelExecutionTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>Each summary row's target and status, in the summary's (plan) order.</summary>
    private static List<string> Statuses<TBuild>(RunOutcome<TBuild> outcome)
        => SummaryRow().Matches(outcome.StandardError).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").Where(r => !r.StartsWith("Target ", StringComparison.Ordinal)).ToList();

    [GeneratedRegex(@"(?m)^│ (\w+)\s+│ (\w+)")]
    private static partial Regex SummaryRow();

    /// <summary>The log lines between a target's group markers, GitHub style.</summary>
    private static List<string> Group(string output, string target)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var begin = lines.IndexOf($"::group::{target}");
        Assert.True(begin >= 0, $"no group for {target} in:\n{output}");
        var end = lines.FindIndex(begin, l => l == "::endgroup::");
        return lines.GetRange(begin + 1, end - begin - 1);
    }

    [Fact]
    public void Parallel_1_runs_the_plan_order_every_time()
    {
        var first = _harness.Run<GraphBuild>("Test", "Publish", "--parallel", "1");
        var second = _harness.Run<GraphBuild>("Publish", "Test", "--parallel", "1");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report", "Pack", "Publish", "Announce"], first.Build.Ran);
        Assert.Equal(first.Build.Ran, second.Build.Ran);
        Assert.Equal(first.Host.Groups, second.Host.Groups);
    }

    [Fact]
    public void Independent_targets_run_at_once_and_each_target_s_output_stays_in_its_own_group()
    {
        _harness.DetectHost = true;
        _harness.Environment["GITHUB_ACTIONS"] = "true";

        var outcome = _harness.Run<ConcurrentBuild>("Join", "--parallel", "2");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.True(outcome.Build.SawSibling["Left"], "Left never saw Right running");
        Assert.True(outcome.Build.SawSibling["Right"], "Right never saw Left running");
        Assert.Equal("Prepare", outcome.Build.Ran.First());
        Assert.Equal("Join", outcome.Build.Ran.Last());
        foreach (var (side, other) in new[] { ("Left", "Right"), ("Right", "Left") })
        {
            var group = Group(outcome.Output, side);
            Assert.Equal([$"{side} line 1", $"{side} line 2", $"{side} line 3"], group.Where(l => l.Contains(" line ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(side, StringComparison.Ordinal))..]));
            Assert.DoesNotContain(group, l => l.Contains(other, StringComparison.Ordinal));
        }

        // Groups never overlap: every ::group:: is closed before the next one opens.
        var markers = outcome.Output.Split('\n').Where(l => l.StartsWith("::group::", StringComparison.Ordinal) || l.StartsWith("::endgroup::", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, markers.Count);
        Assert.All(markers.Where((_, i) => i % 2 == 0), m => Assert.StartsWith("::group::", m));
        Assert.All(markers.Where((_, i) => i % 2 == 1), m => Assert.StartsWith("::endgroup::", m));
    }

    [Fact]
    public void Serial_independent_targets_do_not_wait_for_each_other()
    {
        var outcome = _harness.Run<ConcurrentBuild>("Join", "--parallel", "1");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(["Prepare", "Left", "Right", "Join"], outcome.Build.Ran);
        Assert.False(outcome.Build.SawSibling["Left"]);
    }

    [Fact]
    public void Targets_needing_the_same_resource_never_run_at_once_while_others_do()
    {
        var outcome = _harness.Run<ResourceBuild>("All", "--parallel", "4");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(1, outcome.Build.MostHoldingEngineAtOnce);
        // Other needs only the port, which Second holds too: it starts next to First, before Second; Third waits for Second.
        var started = outcome.Build.Started.ToList();
        Assert.Equal(["First", "Other"], started.Take(2).Order());
        Assert.Equal(["Second", "Third"], started.Skip(2));
    }

    [Fact]
    public void A_resource_with_a_capacity_of_two_is_held_by_two_targets_at_once_and_never_three()
    {
        var outcome = _harness.Run<SharedResourceBuild>("All", "--parallel", "4");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(2, outcome.Build.MostHoldingAtOnce);
    }

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(8, 2, 4)]
    [InlineData(1, 2, 1)]
    [InlineData(16, 4, 4)]
    public void Cores_lets_as_many_holders_run_as_the_cores_keep_busy(int processors, int coresPerHolder, int capacity)
    {
        Assert.Equal(capacity, BuildResource.Cores("dotnet", coresPerHolder, processors).Capacity);
    }

    [Fact]
    public void A_resource_without_room_for_one_holder_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BuildResource("port 8080", capacity: 0));

        Assert.Contains("'port 8080' needs a capacity of at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_while_another_target_runs_ends_with_the_statuses_and_exit_code_of_a_serial_run()
    {
        var serial = _harness.Run<ConcurrentFailureBuild>("Fail", "Slow", "Quick", "After", "--parallel", "1");
        var parallel = _harness.Run<ConcurrentFailureBuild>("Fail", "Slow", "Quick", "After", "--parallel", "2", "--wait-for-slow");

        Assert.Equal(["Fail Failed", "Slow NotRun", "Quick NotRun", "After NotRun", "Cleanup Succeeded"], Statuses(serial));
        Assert.Equal(Statuses(serial), Statuses(parallel));
        Assert.Equal(ExitCodes.TargetFailed, serial.ExitCode);
        Assert.Equal(serial.ExitCode, parallel.ExitCode);
        Assert.Contains("Slow", parallel.Build.Ran);
        Assert.Contains("Stopped Slow: an earlier target failed.", parallel.Output);
        Assert.All(parallel.Build.ChildPidFiles, file => Assert.False(IsAlive(file), $"the child of {file} still runs"));
    }

    [Fact]
    public void A_failure_that_proceeds_lets_concurrent_and_later_targets_finish_as_in_a_serial_run()
    {
        string[] targets = ["FailProceeding", "Slow", "Quick", "--slow-seconds", "1"];
        var serial = _harness.Run<ConcurrentFailureBuild>([.. targets, "--parallel", "1"]);
        var parallel = _harness.Run<ConcurrentFailureBuild>([.. targets, "--parallel", "3"]);

        Assert.Equal(["FailProceeding Failed", "Slow Succeeded", "Quick Succeeded"], Statuses(serial));
        Assert.Equal(Statuses(serial), Statuses(parallel));
        Assert.Equal(ExitCodes.TargetFailed, parallel.ExitCode);
    }

    [Fact]
    public async Task Cancellation_kills_every_running_target_s_child_runs_assured_targets_and_exits_with_130_as_serial()
    {
        using var serialCancellation = new CancellationTokenSource();
        ConcurrentFailureBuild.Source.Value = serialCancellation;
        var serial = await _harness.RunAsync<ConcurrentFailureBuild>(["Fail", "Slow", "After", "--cancel", "--parallel", "1"], serialCancellation.Token);
        using var parallelCancellation = new CancellationTokenSource();
        ConcurrentFailureBuild.Source.Value = parallelCancellation;
        var parallel = await _harness.RunAsync<ConcurrentFailureBuild>(["Fail", "Slow", "After", "--cancel", "--wait-for-slow", "--parallel", "3"], parallelCancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, serial.ExitCode);
        Assert.Equal(serial.ExitCode, parallel.ExitCode);
        Assert.Equal(["Fail Cancelled", "Slow NotRun", "After NotRun", "Cleanup Succeeded"], Statuses(serial));
        // What ran at once was cancelled with it; what had not started is NotRun, as in the serial run.
        Assert.Equal(["Fail Cancelled", "Slow Cancelled", "After NotRun", "Cleanup Succeeded"], Statuses(parallel));
        Assert.Equal(2, parallel.Build.ChildPidFiles.Count);
        Assert.All(parallel.Build.ChildPidFiles, file => Assert.False(IsAlive(file), $"the child of {file} still runs"));
    }

    [Fact]
    public void A_parallelism_that_is_not_a_positive_number_is_a_usage_error()
    {
        var outcome = _harness.Run<GraphBuild>("Test", "--parallel", "0");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("--parallel 0 is not a number of targets. Give a whole number from 1", outcome.Output);
        Assert.Empty(outcome.Build.Ran);
    }

    [Theory]
    [InlineData("Deploy", true)]
    [InlineData("Compile", false)]
    [InlineData("Deploy --skip Lint", false)]
    public void IsPlanned_sees_targets_pulled_in_and_skipped(string arguments, bool expected)
    {
        var outcome = _harness.Run<PlannedBuild>(arguments.Split(' '));

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(expected, outcome.Build.LintPlanned);
    }

    [Fact]
    public void IsPlanned_while_planning_is_an_error_that_says_when_to_call_it()
    {
        var outcome = _harness.Run<PlannedBuild>("Early");

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Contains("IsPlanned is known once the plan is made", outcome.Output);
    }

    [Fact]
    public void The_run_ends_with_an_html_timeline_and_a_mermaid_gantt_chart_in_the_job_summary()
    {
        var outcome = _harness.Run<ConcurrentBuild>("Join", "--parallel", "2");

        var html = File.ReadAllText(_harness.Root / "artifacts" / "build-report.html");
        Assert.Matches(@"<h1>Build succeeded in \d+:\d\d</h1>", html);
        foreach (var target in new[] { "Prepare", "Left", "Right", "Join" })
        {
            Assert.Matches($@"<tr data-target=""{target}"" data-status=""Succeeded"">", html);
        }

        // Left and Right ran at once (each waits until the other has started), so their bars overlap on the time axis.
        var bars = Regex.Matches(html, @"class=""bar Succeeded"" style=""left:([\d.]+)%;width:([\d.]+)%")
            .Select(m => (Start: Percent(m.Groups[1].Value), End: Percent(m.Groups[1].Value) + Percent(m.Groups[2].Value)))
            .ToList();
        Assert.Equal(4, bars.Count);
        Assert.True(Math.Max(bars[1].Start, bars[2].Start) <= Math.Min(bars[1].End, bars[2].End) + 0.01, $"Left {bars[1]} and Right {bars[2]} do not overlap");
        Assert.True(bars[3].Start >= bars[1].Start, "Join starts after Left");
        var summary = Assert.Single(outcome.Host.JobSummaries);
        Assert.Contains("```mermaid\ngantt\n", summary.ReplaceLineEndings("\n"));
        Assert.Matches(@"    Left : \d+, \d+", summary);
        Assert.Matches(@"    Join : \d+, \d+", summary);
    }

    private static double Percent(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsAlive(string pidFile)
    => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is var pid && Directory.Exists($"/proc/{pid}")
        && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
}
