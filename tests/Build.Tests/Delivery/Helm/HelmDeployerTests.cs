using Build.Tests.Delivery.Docker;
using ExampleService.Build.Delivery.Helm;
using ExampleService.Build.Delivery.Kubernetes;
using ExampleService.Build.Tests.Delivery.Kubernetes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The deploy and rollback sequences: the cluster probed first, a pending release recovered, Helm's flags chosen
/// from its version, the rollout verified through the (loopback) Kubernetes API, helm test run, revision reported.
/// </summary>
public sealed class HelmDeployerTests : IAsyncDisposable
{
    private const string Digest = RolloutEvaluatorTests.Digest;
    private const string Target = "--namespace example-service-dev --kube-context loopback";
    private static readonly HelmRelease Release = new("example-service", "example-service-dev", LoopbackKubeApi.Context);
    private static readonly DeploymentOptions Options = new(TimeSpan.FromSeconds(20), RunHelmTests: true, TimeSpan.FromMilliseconds(10));

    private readonly LoopbackKubeApi _api = new();
    private readonly RecordingLog _log = new();

    public HelmDeployerTests() =>
        _api.ServeRollout(Release.Namespace, Release.DeploymentName, ["deployment-rolling.json", "deployment-complete.json"], ["pods-rolling.json", "pods-complete.json"]);

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task A_first_deploy_with_helm_4_installs_verifies_the_rollout_and_runs_helm_test()
    {
        var outcome = await DeployAsync(new ScriptedHelm(4).WithHistories(null, """[{"revision":1,"status":"deployed"}]"""));

        Assert.Equal(1, outcome.Outcome.Revision);
        Assert.Equal(Digest, outcome.Outcome.Digest);
        Assert.Equal(RolloutPhase.Complete, outcome.Outcome.Rollout.Phase);
        Assert.Equal(
            [
                "version --short",
                $"history example-service {Target} --output json",
                $"upgrade --install example-service chart --namespace example-service-dev --kube-context loopback --create-namespace --values values-dev.yaml --set image.digest={Digest} --rollback-on-failure --wait=watcher --timeout 20s --cleanup-on-fail --history-max 10",
                $"history example-service {Target} --output json",
                $"test example-service {Target} --logs --timeout 20s",
            ],
            outcome.Helm.Commands);
        Assert.Contains(_log.Lines, l => l.StartsWith("Kube context loopback: API server http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains("Helm v4.1.4: --rollback-on-failure with the watcher wait strategy", _log.Lines);
    }

    [Fact]
    public async Task A_release_stuck_in_pending_upgrade_is_rolled_back_before_helm_3_upgrades_it_atomically()
    {
        var helm = new ScriptedHelm(3).WithHistories(
            HistoryFixtures.Text("history-pending-upgrade.json"),
            """[{"revision":3,"status":"superseded"},{"revision":4,"status":"failed"},{"revision":5,"status":"superseded"},{"revision":6,"status":"deployed"}]""");

        var (outcome, _) = await DeployAsync(helm);

        Assert.Equal(6, outcome.Revision);
        Assert.Equal($"rollback example-service 3 {Target} --wait --timeout 20s --cleanup-on-fail --history-max 10", helm.Commands[2]);
        Assert.Contains("--atomic --wait --timeout 20s", helm.Commands[3], StringComparison.Ordinal);
        Assert.Contains(_log.Warnings, w => w.Contains("revision 4 (pending-upgrade: Preparing upgrade) is stuck; rolling back to the last deployed revision 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_install_left_pending_is_uninstalled_first()
    {
        var helm = new ScriptedHelm(4).WithHistories(HistoryFixtures.Text("history-pending-install.json"), """[{"revision":1,"status":"deployed"}]""");

        await DeployAsync(helm);

        Assert.Equal($"uninstall example-service {Target} --wait=watcher --timeout 20s", helm.Commands[2]);
        Assert.StartsWith("upgrade --install", helm.Commands[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_upgrade_says_which_revision_serves_after_helms_automatic_rollback()
    {
        var helm = new ScriptedHelm(4).WithHistories(HistoryFixtures.Text("history-deployed.json"));
        helm.Failures["upgrade"] = "Error: UPGRADE FAILED: context deadline exceeded";

        var error = await Assert.ThrowsAsync<HelmDeploymentException>(() => DeployAsync(helm));

        Assert.Contains("failed and Helm rolled it back (serving revision 3 (deployed: Upgrade complete))", error.Message, StringComparison.Ordinal);
        Assert.Contains("UPGRADE FAILED", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(helm.Commands, c => c.StartsWith("test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_helm_test_fails_the_deploy_and_points_at_rollback()
    {
        var helm = new ScriptedHelm(4).WithHistories(HistoryFixtures.Text("history-deployed.json"));
        helm.Failures["test"] = "Error: pod example-service-test-crud failed";

        var error = await Assert.ThrowsAsync<HelmDeploymentException>(() => DeployAsync(helm));

        Assert.Contains("helm test failed for revision 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh Rollback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_cluster_fails_before_any_helm_command_naming_the_context()
    {
        var helm = new ScriptedHelm(4);
        var deployer = new HelmDeployer(new HelmCli("helm", helm), _log, (release, ct) => KubeCluster.ConnectAsync(release.KubeContext, ["/nonexistent/config"], TimeSpan.FromSeconds(2), ct));

        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() => deployer.DeployAsync(Release, () => throw new InvalidOperationException("not reached"), Options, CancellationToken.None));

        Assert.Contains("kube context 'loopback'", error.Message, StringComparison.Ordinal);
        Assert.Empty(helm.Commands);
    }

    [Fact]
    public async Task Rollback_returns_to_the_previous_revision_and_verifies_the_digest_it_was_deployed_with()
    {
        var helm = new ScriptedHelm(4).WithHistories(
            HistoryFixtures.Text("history-deployed.json"),
            """[{"revision":2,"status":"superseded"},{"revision":3,"status":"superseded"},{"revision":4,"status":"deployed","description":"Rollback to 2"}]""");
        helm.Values = $$$"""{"image":{"digest":"{{{Digest}}}","repository":"registry.example.com/example-service"}}""";

        var outcome = await Deployer(helm).RollbackAsync(Release, null, Options, CancellationToken.None);

        Assert.Equal((4, Digest, RolloutPhase.Complete), (outcome.Revision, outcome.Digest, outcome.Rollout.Phase));
        Assert.Equal($"get values example-service {Target} --revision 2 --output json", helm.Commands[2]);
        Assert.Equal($"rollback example-service 2 {Target} --wait=watcher --timeout 20s --cleanup-on-fail --history-max 10", helm.Commands[3]);
        Assert.Equal($"test example-service {Target} --logs --timeout 20s", helm.Commands[^1]);
    }

    [Theory]
    [InlineData(null, "[]", "nothing to roll back")]
    [InlineData(null, """[{"revision":1,"status":"deployed"}]""", "no earlier deployed revision")]
    [InlineData(7, """[{"revision":1,"status":"superseded"},{"revision":2,"status":"deployed"}]""", "Revision 7 is not in the history of release example-service in namespace example-service-dev (kube context loopback); it keeps revisions 1, 2")]
    [InlineData(2, """[{"revision":1,"status":"deployed"},{"revision":2,"status":"failed"}]""", "never went live")]
    public void Rollback_targets_are_checked_against_the_history(int? revision, string history, string expected)
    {
        var error = Assert.Throws<HelmDeploymentException>(() => HelmDeployer.RollbackTarget(ReleaseHistory.Parse(history), Release, revision));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_revision_that_went_live_is_the_target()
    {
        Assert.Equal(1, HelmDeployer.RollbackTarget(HistoryFixtures.Load("history-deployed.json"), Release, 1));
    }

    [Theory]
    [InlineData("""{"image":{"digest":"sha256:ab"}}""", "sha256:ab")]
    [InlineData("""{"image":{"tag":"1.0"}}""", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    public void The_digest_of_a_revision_comes_from_its_values(string json, string? expected)
    {
        Assert.Equal(expected, HelmDeployer.DigestFromValues(json));
    }

    [Fact]
    public async Task A_revision_deployed_without_a_digest_cannot_be_verified_and_says_so()
    {
        var helm = new ScriptedHelm(4).WithHistories(HistoryFixtures.Text("history-deployed.json"));
        helm.Values = """{"image":{"tag":"0.1.0"}}""";

        var error = await Assert.ThrowsAsync<HelmDeploymentException>(() => Deployer(helm).RollbackAsync(Release, 1, Options, CancellationToken.None));

        Assert.Contains("Revision 1 of release example-service", error.Message, StringComparison.Ordinal);
        Assert.Contains("no image.digest", error.Message, StringComparison.Ordinal);
    }

    private HelmDeployer Deployer(ScriptedHelm helm) =>
        new(new HelmCli("helm", helm), _log, (release, ct) => KubeCluster.ConnectAsync(release.KubeContext, [_api.Kubeconfig], TimeSpan.FromSeconds(10), ct));

    private async Task<(DeploymentOutcome Outcome, ScriptedHelm Helm)> DeployAsync(ScriptedHelm helm)
    {
        var request = new HelmUpgradeRequest(Release, "chart", "values-dev.yaml", [new(HelmUpgradeRequest.DigestKey, Digest)], Options.Timeout);
        var outcome = await Deployer(helm).DeployAsync(Release, () => request, Options, CancellationToken.None);
        return (outcome, helm);
    }
}
