using System.Text.Json;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

/// <summary>What the command line does before any target runs: help, plan, target selection, skip, usage errors.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static void AssertUsageError<TBuild>(RunOutcome<TBuild> outcome, string message)
    {
        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(message, outcome.Output);
    }

    [Fact]
    public void Help_lists_listed_targets_with_description_and_dependencies()
    {
        var outcome = _harness.Run<GraphBuild>("--help");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Matches(@"(?m)^  Compile\s+-> Restore$", outcome.Output);
        Assert.Contains("Builds it", outcome.Output);
        Assert.DoesNotContain("Announce", outcome.Output);
        Assert.Empty(outcome.Build.Ran);
    }

    [Fact]
    public void Help_lists_parameters_with_type_environment_variable_default_and_allowed_values()
    {
        var output = _harness.Run<ParameterBuild>("--help").Output;

        Assert.Contains("--replicas <int>", output);
        Assert.Contains("Env: REPLICAS. Default: 1.", output);
        Assert.Contains("--stage <Stage>", output);
        Assert.Contains("Allowed: Dev, Staging, Production. Default: Dev.", output);
        Assert.Contains("--api-token <string>  (secret)", output);
        Assert.Contains("--sonar-host-url <string>", output);
        Assert.Contains("Env: SONAR_HOST_URL", output);
        Assert.DoesNotContain("--renamed", output);
    }

    [Fact]
    public void Without_targets_or_default_the_help_is_shown()
    {
        var outcome = _harness.Run<GraphBuild>();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("Targets (with their direct dependencies):", outcome.Output);
        Assert.Empty(outcome.Build.Ran);
    }

    [Fact]
    public void The_default_target_runs_when_none_is_named()
    {
        _harness.DefaultTargets = ["Compile"];

        var outcome = _harness.Run<GraphBuild>();

        Assert.Equal(["Restore", "Prepare", "Compile"], outcome.Build.Ran);
        Assert.Equal(["Compile"], outcome.Build.InvokedTargets);
    }

    [Fact]
    public void Target_names_match_case_insensitively_and_several_can_be_invoked()
    {
        var outcome = _harness.Run<GraphBuild>("CLEAN", "compile");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(["Clean", "Restore", "Prepare", "Compile"], outcome.Build.Ran);
        Assert.Equal(["Clean", "Compile"], outcome.Build.InvokedTargets);
    }

    [Fact]
    public void Plan_prints_the_ordered_plan_and_runs_nothing()
    {
        var outcome = _harness.Run<GraphBuild>("Pack", "Test", "--plan");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Empty(outcome.Build.Ran);
        Assert.Contains("Execution plan for Pack, Test:", outcome.Output);
        string[] order = ["1. Restore", "2. Prepare", "3. Compile", "4. Test", "5. Report", "6. Pack"];
        var positions = order.Select(line => outcome.Output.IndexOf(line, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("after: Test", outcome.Output);
    }

    [Fact]
    public void Plan_json_is_machine_readable_and_shows_skips()
    {
        var outcome = _harness.Run<GraphBuild>("Test", "--skip", "Compile", "--plan", "--json");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Empty(outcome.Build.Ran);
        using var plan = JsonDocument.Parse(outcome.Output);
        Assert.Equal(["Test"], plan.RootElement.GetProperty("invoked").EnumerateArray().Select(e => e.GetString()));
        var targets = plan.RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report"], targets.Select(t => t.GetProperty("name").GetString()));
        var compile = targets.Single(t => t.GetProperty("name").GetString() == "Compile");
        Assert.True(compile.GetProperty("skipped").GetBoolean());
        Assert.Equal("via --skip", compile.GetProperty("skipReason").GetString());
        Assert.Equal(["Restore"], compile.GetProperty("dependsOn").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Skip_without_names_runs_only_the_invoked_targets()
    {
        var outcome = _harness.Run<GraphBuild>("Test", "--skip");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal(["Test"], outcome.Build.Ran);
        Assert.Matches(@"Compile\s+│\s+Skipped\s+│\s+\d+:\d\d\s+│\s+via --skip", outcome.Output);
    }

    [Fact]
    public void Skip_with_names_skips_those_and_what_only_they_needed()
    {
        var outcome = _harness.Run<GraphBuild>("Test", "--skip", "compile");

        Assert.Equal(["Test", "Report"], outcome.Build.Ran);
        Assert.Contains("needed only by skipped Compile", outcome.Output);
    }

    [Fact]
    public void An_unknown_target_exits_with_2_and_names_the_closest_match()
    {
        var outcome = _harness.Run<GraphBuild>("Compil");

        AssertUsageError(outcome, "Unknown target 'Compil'. Did you mean 'Compile'?");
        Assert.Empty(outcome.Build.Ran);
    }

    [Fact]
    public void An_unknown_skip_target_exits_with_2()
        => Assert.Equal(ExitCodes.UsageError, _harness.Run<GraphBuild>("Test", "--skip", "Nope").ExitCode);

    [Fact]
    public void An_unknown_parameter_exits_with_2_and_names_the_closest_match()
    {
        var outcome = _harness.Run<ParameterBuild>("Show", "--replica", "3");

        AssertUsageError(outcome, "Unknown parameter '--replica'. Did you mean '--replicas'?");
    }

    [Fact]
    public void A_cycle_exits_with_2_and_names_the_cycle()
    {
        var outcome = _harness.Run<CycleBuild>("Restore");

        AssertUsageError(outcome, "Compile -> Test -> Compile");
    }

    [Theory]
    [InlineData("--verbosity", "loud")]
    [InlineData("--host", "jenkins")]
    [InlineData("--root", "/does/not/exist")]
    public void Bad_built_in_option_values_exit_with_2(string option, string value)
    {
        _harness.DetectHost = true;

        var outcome = _harness.Run<GraphBuild>("Compile", option, value);

        AssertUsageError(outcome, value);
    }
}
