using TypedBuild.Definition;
using TypedBuild.Tests.Support;

namespace TypedBuild.Tests.Engine;

public class TargetDiscoveryTests
{
    private interface IPublishComponent
    {
        Target Publish => _ => _.Description("From the interface");

        Target Sign => _ => _.Description("Default member");
    }

    private sealed class MixedBuild : BuildBase, IPublishComponent
    {
        internal static readonly Target StaticField = _ => _.Description("field");

        public Target Compile => _ => _.DependsOn(Restore, StaticField).Description("public");

        Target IPublishComponent.Publish => _ => _.DependsOn(Compile).Description("explicit");

        private Target Restore => _ => _.Description("private");
    }

    private sealed class FactoryBuild : BuildBase
    {
        public Target Dev => Deploy("dev");

        public Target Prod => Deploy("prod");

        public Target All => _ => _.DependsOn(Dev);

        private static Target Deploy(string stage) => _ => _.Description(stage);
    }

    private sealed class DefinitionThrowsBuild : BuildBase
    {
        public Target Broken => _ => throw new InvalidOperationException("boom");
    }

    [Fact]
    public void Finds_properties_fields_explicit_and_default_interface_members_of_any_accessibility()
    {
        var targets = TargetDiscovery.Discover(new MixedBuild());
        Assert.Equal(["StaticField", "Compile", "Publish", "Restore", "Sign"], targets.Select(t => t.Name));
        Assert.Equal("explicit", targets.Single(t => t.Name == "Publish").Description);
        Assert.Equal("Default member", targets.Single(t => t.Name == "Sign").Description);
    }

    [Fact]
    public void References_resolve_although_getters_return_new_delegates()
    {
        var build = new GraphBuild();
        Assert.NotSame(build.Compile, build.Compile);
        var targets = TargetDiscovery.Discover(build);
        Assert.Equal(["Restore"], targets.Single(t => t.Name == "Compile").DependsOn.Select(t => t.Name));
        Assert.Equal(["Publish"], targets.Single(t => t.Name == "Announce").TriggeredBy.Select(t => t.Name));
        Assert.Equal(["Report"], targets.Single(t => t.Name == "Test").Triggers.Select(t => t.Name));
    }

    [Fact]
    public void Private_and_static_references_resolve()
    {
        var compile = TargetDiscovery.Discover(new MixedBuild()).Single(t => t.Name == "Compile");
        Assert.Equal(["Restore", "StaticField"], compile.DependsOn.Select(t => t.Name));
    }

    [Fact]
    public void A_reference_shared_by_several_members_is_reported_as_ambiguous()
    {
        var error = Assert.Throws<UsageException>(() => TargetDiscovery.Discover(new FactoryBuild()));
        Assert.Contains("'All'", error.Message);
    }

    [Fact]
    public void A_definition_that_throws_names_the_target()
    {
        var error = Assert.Throws<UsageException>(() => TargetDiscovery.Discover(new DefinitionThrowsBuild()));
        Assert.Contains("'Broken'", error.Message);
        Assert.Contains("boom", error.Message);
    }

    [Fact]
    public void Definition_records_every_setting()
    {
        var definition = new TargetDefinition();
        var flag = true;
        definition.Description("d").OnlyWhenStatic(() => flag).OnlyWhenDynamic(() => !flag).ProceedAfterFailure().AssuredAfterFailure().Unlisted()
            .Executes(() => { }).Executes(() => Task.CompletedTask).Executes(_ => Task.CompletedTask);
        Assert.Equal("d", definition.DescriptionText);
        Assert.Equal("flag", definition.StaticConditions.Single().Text);
        Assert.Equal("!flag", definition.DynamicConditions.Single().Text);
        Assert.True(definition.IsProceedAfterFailure && definition.IsAssuredAfterFailure && definition.IsUnlisted);
        Assert.Equal(3, definition.Actions.Count);
    }
}
