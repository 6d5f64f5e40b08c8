using TypedBuild.Provisioning;

namespace TypedBuild.Tests.Provisioning;

public sealed class DotNetLocalToolsTests : IDisposable
{
    private readonly TempRoot _temp = new();

    [Fact]
    public async Task Is_missing_without_a_manifest()
    {
        var check = await new DotNetLocalTools().CheckAsync(_temp.Context(), default);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Contains("dotnet new tool-manifest", check.InstallHint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_present_when_every_pinned_package_is_in_the_nuget_cache()
    {
        // xunit 2.9.3 is in the cache because this very test project restored it.
        WriteManifest("xunit", "2.9.3");

        var check = await new DotNetLocalTools().CheckAsync(_temp.Context(), default);

        Assert.Equal(RequirementState.Present, check.State);
    }

    [Fact]
    public async Task Restores_from_the_root_when_a_pinned_tool_is_not_in_the_cache()
    {
        WriteManifest("tb-not-a-real-tool", "0.0.1");
        var dotnet = new RecordingProcessRunner();

        var check = await new DotNetLocalTools().CheckAsync(_temp.Context(dotnet), default);
        await new DotNetLocalTools().EnsureAsync(_temp.Context(dotnet), default);

        Assert.Equal(RequirementState.Installable, check.State);
        Assert.Contains("tb-not-a-real-tool 0.0.1", check.Detail, StringComparison.Ordinal);
        var call = Assert.Single(dotnet.Calls);
        Assert.Equal("dotnet tool restore", string.Join(' ', call.Arguments.Prepend(call.Executable)));
        Assert.Equal(_temp.Root.Value, call.Options.WorkingDirectory);
    }

    [Fact]
    public async Task Runs_a_tool_command_through_dotnet_tool_run_from_the_root()
    {
        var dotnet = new RecordingProcessRunner();

        await DotNetLocalTools.RunAsync(_temp.Context(dotnet), "reportgenerator", ["-reports:a.xml", "--help"]);

        var call = Assert.Single(dotnet.Calls);
        Assert.Equal("dotnet", call.Executable);
        Assert.Equal(["tool", "run", "reportgenerator", "--", "-reports:a.xml", "--help"], call.Arguments);
        Assert.Equal(_temp.Root.Value, call.Options.WorkingDirectory);
    }

    private void WriteManifest(string package, string version) => File.WriteAllText(
        _temp.Root / "dotnet-tools.json",
        $$"""{ "version": 1, "isRoot": true, "tools": { "{{package}}": { "version": "{{version}}", "commands": ["x"] } } }""");

    public void Dispose() => _temp.Dispose();
}
