using ExampleService.Build.Delivery.Helm;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The exact Helm command lines for Helm 3 and Helm 4, and proof that the real binaries of both majors accept
/// every one of them: Helm parses all flags before it needs a cluster, so against a kube context that does not
/// exist each command must fail on the context, never on a flag.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class HelmCommandLineTests(HelmToolchain toolchain)
{
    private static readonly HelmRelease Release = new("example-service", "example-service-dev", "example-service-dev");

    private static readonly HelmUpgradeRequest Upgrade = new(
        Release,
        "charts/example-service",
        "charts/example-service/values-dev.yaml",
        RenderedChart.ImageValues,
        TimeSpan.FromMinutes(5));

    private static HelmCommandBuilder Helm3 => new(new HelmVersion(3, 18, 0));

    private static HelmCommandBuilder Helm4 => new(new HelmVersion(4, 1, 4));

    [Fact]
    public void Helm_3_upgrades_atomically_and_waits()
    {
        Assert.Equal(
            "upgrade --install example-service charts/example-service --namespace example-service-dev --kube-context example-service-dev --create-namespace "
            + "--values charts/example-service/values-dev.yaml --set image.repository=registry.example.com/example-service "
            + $"--set image.digest={RenderedChart.Digest} --atomic --wait --timeout 300s --cleanup-on-fail --history-max 10",
            string.Join(' ', Helm3.UpgradeInstall(Upgrade)));
    }

    [Fact]
    public void Helm_4_rolls_back_on_failure_with_the_watcher_wait_strategy()
    {
        Assert.Equal(
            "upgrade --install example-service charts/example-service --namespace example-service-dev --kube-context example-service-dev --create-namespace "
            + "--values charts/example-service/values-dev.yaml --set image.repository=registry.example.com/example-service "
            + $"--set image.digest={RenderedChart.Digest} --rollback-on-failure --wait=watcher --timeout 300s --cleanup-on-fail --history-max 10",
            string.Join(' ', Helm4.UpgradeInstall(Upgrade)));
    }

    [Fact]
    public void Rollback_test_history_and_values_target_the_release_in_its_namespace_and_context()
    {
        const string target = "--namespace example-service-dev --kube-context example-service-dev";
        Assert.Equal($"rollback example-service 4 {target} --wait --timeout 90s --cleanup-on-fail --history-max 10", string.Join(' ', Helm3.Rollback(Release, 4, TimeSpan.FromSeconds(90))));
        Assert.Equal($"rollback example-service 4 {target} --wait=watcher --timeout 90s --cleanup-on-fail --history-max 10", string.Join(' ', Helm4.Rollback(Release, 4, TimeSpan.FromSeconds(90))));
        Assert.Equal($"test example-service {target} --logs --timeout 61s", string.Join(' ', Helm4.Test(Release, TimeSpan.FromSeconds(60.5))));
        Assert.Equal($"history example-service {target} --output json", string.Join(' ', Helm3.History(Release)));
        Assert.Equal($"get values example-service {target} --revision 2 --output json", string.Join(' ', Helm4.GetValues(Release, 2)));
        Assert.Equal($"uninstall example-service {target} --wait --timeout 60s", string.Join(' ', Helm3.Uninstall(Release, TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public void A_timeout_must_be_positive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Helm4.Test(Release, TimeSpan.Zero));
        Assert.Contains("must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_commands_are_the_same_for_both_majors()
    {
        Assert.Equal(["lint", "chart", "--strict", "--values", "v.yaml"], HelmCommandBuilder.Lint("chart", "v.yaml"));
        Assert.Equal(["package", "chart", "--destination", "out"], HelmCommandBuilder.Package("chart", "out"));
        Assert.Equal(["push", "c.tgz", "oci://127.0.0.1:5000/charts", "--plain-http"], HelmCommandBuilder.Push("c.tgz", "oci://127.0.0.1:5000/charts", plainHttp: true));
        Assert.Equal(["push", "c.tgz", "oci://registry/charts"], HelmCommandBuilder.Push("c.tgz", "oci://registry/charts", plainHttp: false));
        Assert.Equal(["version", "--short"], HelmCommandBuilder.VersionQuery());
    }

    public static TheoryData<int, string> CommandsByMajor()
    {
        var data = new TheoryData<int, string>();
        foreach (var major in RenderedChart.Majors)
        {
            foreach (var command in new[] { "upgrade", "rollback", "history", "test", "uninstall", "get values" })
            {
                data.Add(major, command);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandsByMajor))]
    public async Task The_real_binary_accepts_every_flag_and_fails_only_on_the_missing_context(int major, string command)
    {
        var commands = major == 3 ? Helm3 : Helm4;
        var upgrade = Upgrade with { Chart = HelmToolchain.ChartDirectory, ValuesFile = RenderedChart.ValuesFile("dev") };
        var arguments = command switch
        {
            "upgrade" => commands.UpgradeInstall(upgrade),
            "rollback" => commands.Rollback(Release, 3, TimeSpan.FromMinutes(2)),
            "history" => commands.History(Release),
            "test" => commands.Test(Release, TimeSpan.FromMinutes(2)),
            "uninstall" => commands.Uninstall(Release, TimeSpan.FromMinutes(2)),
            _ => commands.GetValues(Release, 3),
        };
        var emptyKubeconfig = Path.Combine(Directory.CreateTempSubdirectory("kubeconfig-").FullName, "config");
        await File.WriteAllTextAsync(emptyKubeconfig, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");

        var result = await toolchain.RunHelmAsync(major, [.. arguments, "--kubeconfig", emptyKubeconfig], allowFailure: true);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cluster unreachable: context \"example-service-dev\" does not exist", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("v3.18.0+gcc58e3f", 3, false)]
    [InlineData("v4.1.4+g05fa379\n", 4, true)]
    [InlineData("version.BuildInfo{Version:\"v3.12.3\", GitCommit:\"3a31588\"}", 3, false)]
    public void The_major_comes_from_helm_version(string output, int major, bool hasWaitStrategies)
    {
        var version = HelmVersion.Parse(output);

        Assert.Equal(major, version.Major);
        Assert.Equal(hasWaitStrategies, version.HasWaitStrategies);
    }

    [Theory]
    [InlineData("v2.17.0+ga690bad", "is not supported")]
    [InlineData("helm: command not found", "Cannot read a Helm version")]
    public void Unusable_helm_versions_are_refused_with_the_reason(string output, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HelmVersion.Parse(output));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task The_provisioned_binaries_are_the_majors_the_tests_claim(int major)
    {
        var result = await toolchain.RunHelmAsync(major, HelmCommandBuilder.VersionQuery());

        Assert.Equal(major, HelmVersion.Parse(result.StandardOutput).Major);
    }
}
