using TypedBuild.Hosts;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>Running a plan: failures, conditions, requirements, cancellation, tools, summary and exit codes.</summary>
public sealed class ExecutionTests : IDisposable
{
    private const string Password = "hunter2-secret";

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string Row(RunOutcome<FailureBuild> outcome, string target)
        => outcome.Output.Split('\n').Single(l => l.Contains($"│ {target} ", StringComparison.Ordinal));

    [Fact]
    public void A_successful_build_runs_in_order_groups_each_target_and_ends_with_a_plain_summary()
    {
        var outcome = _harness.Run<GraphBuild>("Test");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report"], outcome.Build.Ran);
        Assert.Equal(
            ["begin Restore", "end Restore", "begin Prepare", "end Prepare", "begin Compile", "end Compile", "begin Test", "end Test", "begin Report", "end Report"],
            outcome.Host.Groups);
        Assert.Matches(@"│ Target\s+│ Status\s+│ Duration │ Notes", outcome.Output);
        Assert.Matches(@"│ Report\s+│ Succeeded │\s+\d+:\d\d │", outcome.Output);
        var lastLine = outcome.Output.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^Build succeeded in \d+:\d\d$", lastLine);
        Assert.DoesNotContain('\u001b', outcome.Output);
        Assert.DoesNotContain("[/]", outcome.Output);
    }

    [Fact]
    public void A_failure_stops_the_build_runs_assured_targets_masks_the_secret_and_exits_with_1()
    {
        var outcome = _harness.Run<FailureBuild>("Package", "--fail-compile", "--password", Password);

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Equal(["Compile", "Cleanup"], outcome.Build.Ran);
        Assert.Contains("Failed", Row(outcome, "Compile"));
        Assert.Contains("compiler rejected ***", Row(outcome, "Compile"));
        Assert.Contains("NotRun", Row(outcome, "Test"));
        Assert.Contains("an earlier target failed", Row(outcome, "Test"));
        Assert.Contains("Succeeded", Row(outcome, "Cleanup"));
        Assert.Contains("Target Compile failed: compiler rejected ***", outcome.Output);
        Assert.DoesNotContain(Password, outcome.Output);
        Assert.Contains((AnnotationLevel.Error, "Target Compile failed: compiler rejected ***\nsecond line"), outcome.Host.Annotations);
        Assert.Equal([Password], outcome.Host.Secrets);
        Assert.Matches(@"Build failed in \d+:\d\d$", outcome.Output.TrimEnd());
        Assert.True(outcome.Build.IsFailing);
    }

    [Fact]
    public void ProceedAfterFailure_lets_the_remaining_targets_run_and_the_build_still_fails()
    {
        var outcome = _harness.Run<FailureBuild>("Lint", "Test", "--fail-lint");

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Equal(["Lint", "Compile", "Test", "Cleanup"], outcome.Build.Ran);
        Assert.Contains("lint found 3 problems", Row(outcome, "Lint"));
    }

    [Fact]
    public void Notes_reach_the_summary_the_job_summary_and_observers_and_a_broken_observer_only_warns()
    {
        var outcome = _harness.Run<FailureBuild>("Test");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("Passed: 12", Row(outcome, "Test"));
        var markdown = Assert.Single(outcome.Host.JobSummaries);
        Assert.Matches(@"^### Build succeeded in \d+:\d\d\n", markdown);
        Assert.Matches(@"\| Test \| Succeeded \| \d+:\d\d \| Passed: 12 \|", markdown);
        var result = outcome.Build.Recorder.Result;
        Assert.NotNull(result);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["Test"], result.InvokedTargets);
        Assert.Contains("Observer ThrowingObserver failed: observer broke", outcome.Output);
    }

    [Fact]
    public void Static_conditions_are_checked_before_anything_runs_and_the_reason_is_in_the_summary()
    {
        var outcome = _harness.Run<ConditionBuild>("Compile");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Empty(outcome.Build.Ran);
        Assert.Matches(@"│ Compile\s+│ Skipped\s+│\s+\d+:\d\d │ OnlyWhen: Enabled", outcome.Output);
        Assert.Contains("needed only by skipped Compile", outcome.Output);
    }

    [Fact]
    public void Dynamic_conditions_are_checked_right_before_the_target_and_see_what_ran_earlier()
    {
        var withCompile = _harness.Run<ConditionBuild>("Compile", "Verify", "--enabled");
        Assert.Equal(["Restore", "Compile", "Verify"], withCompile.Build.Ran);

        var alone = _harness.Run<ConditionBuild>("Verify");
        Assert.Empty(alone.Build.Ran);
        Assert.Contains("OnlyWhen: Ran.Contains(nameof(Compile))", alone.Output);
    }

    [Fact]
    public void Missing_required_parameters_fail_with_2_before_anything_runs()
    {
        var outcome = _harness.Run<ConditionBuild>("Deploy", "--regions");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Empty(outcome.Build.Ran);
        Assert.Contains("Missing required parameters, nothing was run:", outcome.Output);
        Assert.Contains("Stage (--stage or environment variable STAGE), required by Deploy", outcome.Output);
        Assert.Contains("Regions (--regions or environment variable REGIONS), required by Deploy", outcome.Output);

        var satisfied = _harness.Run<ConditionBuild>("Deploy", "--stage", "dev", "--regions", "eu");
        Assert.Equal(["Restore", "Deploy"], satisfied.Build.Ran);
    }

    [Fact]
    public async Task Cancellation_stops_the_running_target_runs_assured_targets_and_exits_with_130()
    {
        using var cancellation = new CancellationTokenSource();
        CancellationBuild.Source.Value = cancellation;

        var outcome = await _harness.RunAsync<CancellationBuild>(["Next"], cancellation.Token);

        Assert.Equal(ExitCodes.Cancelled, outcome.ExitCode);
        Assert.Equal(["Prepare", "LongRunning", "Cleanup"], outcome.Build.Ran);
        Assert.Matches(@"│ LongRunning\s+│ Cancelled", outcome.Output);
        Assert.Matches(@"│ Next\s+│ NotRun\s+│\s+\d+:\d\d │ build cancelled", outcome.Output);
        Assert.Matches(@"Build cancelled in \d+:\d\d$", outcome.Output.TrimEnd());
    }

    [Fact]
    public void Tools_are_checked_before_anything_runs_provisioned_once_before_their_target_and_released_at_the_end()
    {
        var outcome = _harness.Run<ToolBuild>("Deploy");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(
            ["check docker", "check helm", "ensure docker in .tools", "ensure helm in .tools", "dispose helm", "dispose docker"],
            outcome.Build.Events);
        Assert.Equal(["Image", "Deploy"], outcome.Build.Ran);
    }

    [Fact]
    public void A_missing_tool_fails_before_anything_runs_naming_it_and_the_install_command()
    {
        var outcome = _harness.Run<ToolBuild>("Deploy", "--helm-missing");

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Empty(outcome.Build.Ran);
        Assert.DoesNotContain(outcome.Build.Events, e => e.StartsWith("ensure", StringComparison.Ordinal));
        Assert.Contains("Missing tools, nothing was run:", outcome.Output);
        Assert.Contains("helm: helm is not installed. Install: apt-get install helm", outcome.Output);
    }

    [Fact]
    public void Child_process_output_and_its_failure_are_masked()
    {
        var outcome = _harness.Run<ProcessBuild>("Echo", "--token", Password);

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Contains("child sees ***", outcome.Output);
        Assert.Contains("exited with code 3", outcome.Output);
        Assert.Contains("child fails with ***", outcome.Output);
        Assert.DoesNotContain(Password, outcome.Output);
    }

    [Fact]
    public async Task Console_output_of_targets_is_masked()
    {
        var original = Console.Out;
        using var console = new StringWriter();
        Console.SetOut(console);
        try
        {
            await _harness.RunAsync<FailureBuild>(["Compile", "--password", Password], CancellationToken.None, wrapConsole: true);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Contains("console says ***", console.ToString());
        Assert.DoesNotContain(Password, console.ToString());
    }

    [Fact]
    public void On_GitHub_Actions_secrets_are_registered_groups_and_errors_use_workflow_commands_and_the_job_summary_is_written()
    {
        var summaryFile = _harness.Root / "step-summary.md";
        _harness.DetectHost = true;
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;

        var outcome = _harness.Run<FailureBuild>("Compile", "--fail-compile", "--password", Password);

        Assert.Equal(ExitCodes.TargetFailed, outcome.ExitCode);
        Assert.Contains($"::add-mask::{Password}", outcome.Output);
        Assert.Contains("::group::Compile", outcome.Output);
        Assert.Contains("::endgroup::", outcome.Output);
        Assert.Contains("::error::Target Compile failed: compiler rejected ***%0Asecond line", outcome.Output);
        var markdown = File.ReadAllText(summaryFile);
        Assert.Matches(@"### Build failed in \d+:\d\d", markdown);
        Assert.Matches(@"\| Compile \| Failed \| \d+:\d\d \| compiler rejected \*\*\* \|", markdown);
        Assert.DoesNotContain(Password, markdown);
    }

    [Fact]
    public void On_GitLab_each_target_is_a_collapsed_section()
    {
        _harness.DetectHost = true;
        _harness.Environment["GITLAB_CI"] = "true";

        var outcome = _harness.Run<GraphBuild>("Restore");

        Assert.Matches(@"section_start:\d+:restore\[collapsed=true\]", outcome.Output);
        Assert.Matches(@"section_end:\d+:restore", outcome.Output);
    }
}
