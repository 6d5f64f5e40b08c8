using TypedBuild.Definition;
using TypedBuild.Planning;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

public class PlannerTests
{
    private readonly IReadOnlyList<ExecutableTarget> _targets = TargetDiscovery.Discover(new GraphBuild());

    private ExecutableTarget T(string name) => _targets.Single(t => t.Name == name);

    private List<string> Order(params string[] invoked) => Plan(SkipRequest.None, invoked).Targets.Select(t => t.Name).ToList();

    private ExecutionPlan Plan(SkipRequest skip, params string[] invoked) => Planner.Plan(_targets, invoked.Select(T).ToList(), skip);

    [Fact]
    public void Dependencies_are_pulled_in_and_run_first_with_DependentFor()
        => Assert.Equal(["Restore", "Prepare", "Compile"], Order("Compile"));

    [Fact]
    public void Before_orders_without_pulling_in()
    {
        Assert.DoesNotContain("Clean", Order("Compile"));
        Assert.Equal(["Clean", "Restore", "Prepare", "Compile"], Order("Compile", "Clean"));
    }

    [Fact]
    public void After_orders_without_pulling_in()
    {
        Assert.Equal(["Restore", "Prepare", "Compile", "Pack"], Order("Pack"));
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report", "Pack"], Order("Pack", "Test"));
    }

    [Fact]
    public void Triggers_and_TriggeredBy_add_targets_that_run_after_the_trigger()
    {
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report"], Order("Test"));
        Assert.Equal(["Restore", "Prepare", "Compile", "Pack", "Publish", "Announce"], Order("Publish"));
    }

    [Fact]
    public void Order_is_deterministic_and_independent_of_invocation_order()
    {
        var first = Order("Publish", "Test", "Clean");
        Assert.Equal(first, Order("Clean", "Test", "Publish"));
        Assert.Equal(first, Order("Test", "Clean", "Publish"));
        Assert.Equal(["Clean", "Restore", "Prepare", "Compile", "Test", "Report", "Pack", "Publish", "Announce"], first);
    }

    [Fact]
    public void Predecessors_hold_every_relation_between_planned_targets()
    {
        var plan = Plan(SkipRequest.None, "Pack", "Test");
        var pack = plan.Targets.Single(t => t.Name == "Pack");
        Assert.Equal(["Compile", "Test"], pack.Predecessors.Select(p => p.Name));
        Assert.Equal(Enumerable.Range(1, plan.Targets.Count), plan.Targets.Select(t => t.Order));
    }

    [Fact]
    public void A_cycle_is_an_error_naming_it()
    {
        var targets = TargetDiscovery.Discover(new CycleBuild());
        var error = Assert.Throws<UsageException>(() => Planner.Plan(targets, [targets[0]], SkipRequest.None));
        Assert.Contains("Compile -> Test -> Compile", error.Message);
    }

    [Fact]
    public void Skip_without_names_skips_everything_but_the_invoked_targets()
    {
        var plan = Plan(new SkipRequest(true, []), "Test");
        Assert.Equal(["Test"], plan.ToRun.Select(t => t.Name));
        Assert.Equal("via --skip", plan.Targets.Single(t => t.Name == "Compile").SkipReason);
    }

    [Fact]
    public void Skip_with_names_cascades_to_dependencies_nothing_else_needs()
    {
        var plan = Plan(new SkipRequest(false, [T("Compile")]), "Test");
        Assert.Equal(["Test", "Report"], plan.ToRun.Select(t => t.Name));
        Assert.Equal("via --skip", plan.Targets.Single(t => t.Name == "Compile").SkipReason);
        Assert.Equal("needed only by skipped Compile", plan.Targets.Single(t => t.Name == "Restore").SkipReason);
    }

    [Fact]
    public void Skip_keeps_dependencies_that_another_planned_target_needs()
    {
        // Pack is skipped, but Compile is still needed by Test.
        var plan = Plan(new SkipRequest(false, [T("Pack")]), "Pack", "Test");
        Assert.Equal(["Restore", "Prepare", "Compile", "Test", "Report"], plan.ToRun.Select(t => t.Name));
    }

    [Fact]
    public void Skipping_a_trigger_skips_what_it_triggers()
    {
        var plan = Plan(new SkipRequest(false, [T("Test")]), "Test");
        Assert.Empty(plan.ToRun);
        Assert.Equal("needed only by skipped Test", plan.Targets.Single(t => t.Name == "Report").SkipReason);
    }

    [Fact]
    public void Static_conditions_skip_with_the_expression_text_and_cascade()
    {
        var targets = TargetDiscovery.Discover(new ConditionBuild());
        var plan = Planner.Plan(targets, [targets.Single(t => t.Name == "Compile")], SkipRequest.None);
        Planner.ApplyStaticConditions(plan);
        Assert.Equal("OnlyWhen: Enabled", plan.Targets.Single(t => t.Name == "Compile").SkipReason);
        Assert.Equal("needed only by skipped Compile", plan.Targets.Single(t => t.Name == "Restore").SkipReason);
    }

    [Theory]
    [InlineData("helm-deploy", "HelmDeploy", true)]
    [InlineData("HELMDEPLOY", "HelmDeploy", true)]
    [InlineData("helm_deploy", "HelmDeploy", true)]
    [InlineData("helm", "HelmDeploy", false)]
    public void Names_match_ignoring_case_and_dashes(string input, string name, bool expected)
        => Assert.Equal(expected, NameMatching.AreEquivalent(input, name));

    [Fact]
    public void Closest_name_is_suggested_only_when_close()
    {
        Assert.Equal("Compile", NameMatching.Closest("compil", ["Test", "Compile", "Clean"]));
        Assert.Null(NameMatching.Closest("zzzzzzzz", ["Test", "Compile"]));
    }
}
