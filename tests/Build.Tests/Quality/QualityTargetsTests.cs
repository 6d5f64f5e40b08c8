using Build.Tests.Quality.Fixtures;

namespace Build.Tests.Quality;

/// <summary>Test, Coverage and Lint run end to end by the real build definition on a tiny solution.</summary>
public sealed class QualityTargetsTests(DotNetFixture fixture) : IClassFixture<DotNetFixture>
{
    private FixtureRepository Repository => fixture.Repository;

    [Fact]
    public void Test_and_Coverage_leave_every_report_under_artifacts()
    {
        Assert.True(fixture.PassingRun.ExitCode == 0, fixture.PassingRun.ToString());
        string[] expected =
        [
            @"^artifacts/test-results/Test/[^/]+\.trx$",
            @"^artifacts/test-results/Test/Calc\.Tests\.junit\.xml$",
            @"^artifacts/coverage/Test/[^/]+/coverage\.cobertura\.xml$",
            @"^artifacts/coverage/Test/[^/]+/coverage\.opencover\.xml$",
            @"^artifacts/coverage-report/index\.html$",
            @"^artifacts/coverage-report/Cobertura\.xml$",
            @"^artifacts/coverage-report/Summary\.txt$",
            @"^artifacts/coverage-report/SummaryGithub\.md$",
            @"^artifacts/coverage-report/badge_linecoverage\.svg$",
        ];
        Assert.All(expected, pattern => Assert.Contains(fixture.PassingRunArtifacts, file => System.Text.RegularExpressions.Regex.IsMatch(file, pattern)));
    }

    [Fact]
    public void Test_ends_with_a_plain_line_of_counts_and_reports_them_in_the_summary()
    {
        var lines = fixture.PassingRun.Lines;

        Assert.Contains("Tests: 2 passed, 0 failed, 1 skipped", lines);
        Assert.Contains(lines, line => line.Contains("Passed: 2; Failed: 0; Skipped: 1", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Line coverage:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_test_fails_Test_and_is_named()
    {
        var run = await Repository.RunAsync(["Test", "--skip", "Compile"], new Dictionary<string, string?> { [DotNetFixture.FailVariable] = "1" });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Tests: 1 passed, 1 failed, 1 skipped", run.Lines);
        Assert.Contains($"1 test failed: {DotNetFixture.FailingTestName}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"FAILED {DotNetFixture.FailingTestName}: Assert.NotEqual() Failure", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_under_the_threshold_fails_with_the_measured_and_the_required_figures()
    {
        var run = await Repository.RunAsync("Coverage", "--skip", "Test", "--coverage-line-threshold", "95", "--coverage-branch-threshold", "0");

        Assert.NotEqual(0, run.ExitCode);
        var measured = FixtureRepository.MeasuredLineCoverage(run.Output);
        Assert.InRange(measured, 10, 94.9);
        Assert.Contains($"Line coverage {measured:0.0}% is below the required 95%", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Branch coverage", run.Output.Split("Target Coverage failed")[1].Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Formatting_and_shell_problems_fail_Lint_with_file_and_line_and_are_counted()
    {
        var run = await Repository.RunAsync("Lint", "--skip", "Compile");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{DotNetFixture.BadlyFormattedFile}:5: WHITESPACE", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{DotNetFixture.BadScript}:3: SC2086", run.Output, StringComparison.Ordinal);
        Assert.Contains("Lint found 2 problems (analyzers 0, format 1, shell 1)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_of_Lint_restores_each_check_with_its_problems_and_a_new_script_reruns_only_the_shell_check()
    {
        await Repository.RunCachedAsync("Lint", "--skip", "Compile");
        var again = await Repository.RunCachedAsync("Lint", "--skip", "Compile");

        Assert.Matches(@"│ LintFormat\s+│ Cached", again.Output);
        Assert.Matches(@"│ LintShell\s+│ Cached", again.Output);
        Assert.Contains($"{DotNetFixture.BadScript}:3: SC2086", again.Output, StringComparison.Ordinal);
        Assert.Contains($"{DotNetFixture.BadlyFormattedFile}:5: WHITESPACE", again.Output, StringComparison.Ordinal);
        Assert.Contains("Lint found 2 problems (analyzers 0, format 1, shell 1)", again.Output, StringComparison.Ordinal);

        const string added = "scripts/farewell.sh";
        Repository.Write(added, "#!/usr/bin/env bash\necho Bye $1\n");
        try
        {
            var rerun = await Repository.RunCachedAsync("Lint", "--skip", "Compile");

            Assert.Contains($"Cache miss: file {added} is new since entry", rerun.Output, StringComparison.Ordinal);
            Assert.Matches(@"│ LintFormat\s+│ Cached", rerun.Output);
            Assert.Contains($"{added}:2: SC2086", rerun.Output, StringComparison.Ordinal);
            Assert.Contains("Lint found 3 problems (analyzers 0, format 1, shell 2)", rerun.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(Repository.PathOf(added));
        }
    }
}
