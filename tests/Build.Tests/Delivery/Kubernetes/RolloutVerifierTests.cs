using Build.Tests.Delivery.Docker;
using ExampleService.Build.Delivery.Kubernetes;

namespace ExampleService.Build.Tests.Delivery.Kubernetes;

/// <summary>
/// KubeCluster and RolloutVerifier against a loopback API server that replays recorded responses: the real
/// KubernetesClient connects through a kubeconfig, reads the Deployment and lists its pods by selector.
/// </summary>
public sealed class RolloutVerifierTests
{
    private const string Namespace = "example-service-dev";
    private const string Deployment = "example-service";

    [Fact]
    public async Task Polls_until_the_rollout_completes_and_logs_each_change()
    {
        await using var api = new LoopbackKubeApi();
        api.ServeRollout(Namespace, Deployment, ["deployment-rolling.json", "deployment-complete.json"], ["pods-rolling.json", "pods-complete.json"]);
        var log = new RecordingLog();
        var connection = await KubeCluster.ConnectAsync(LoopbackKubeApi.Context, [api.Kubeconfig], TimeSpan.FromSeconds(10), CancellationToken.None);
        using var client = connection.Client;

        var status = await new RolloutVerifier(client, log, TimeSpan.FromMilliseconds(10))
            .WaitAsync(Namespace, Deployment, "example-service", RolloutEvaluatorTests.Digest, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(RolloutPhase.Complete, status.Phase);
        Assert.Equal("v1.33.1", connection.ServerVersion);
        Assert.Equal(api.Server, connection.Server.TrimEnd('/'));
        Assert.Equal(2, log.Lines.Count);
        Assert.StartsWith("example-service is rolling out", log.Lines[0], StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.StartsWith($"/api/v1/namespaces/{Namespace}/pods?labelSelector=app.kubernetes.io%2Finstance%3Dexample-service%2Capp.kubernetes.io%2Fname%3Dexample-service", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_rollout_stops_the_wait_with_the_reason()
    {
        await using var api = new LoopbackKubeApi();
        api.ServeRollout(Namespace, Deployment, ["deployment-rolling.json"], ["pods-imagepullbackoff.json"]);
        var connection = await KubeCluster.ConnectAsync(LoopbackKubeApi.Context, [api.Kubeconfig], TimeSpan.FromSeconds(10), CancellationToken.None);
        using var client = connection.Client;

        var error = await Assert.ThrowsAsync<RolloutFailedException>(() => new RolloutVerifier(client, new RecordingLog(), TimeSpan.FromMilliseconds(10))
            .WaitAsync(Namespace, Deployment, "example-service", RolloutEvaluatorTests.Digest, TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Contains($"Deployment {Namespace}/{Deployment}: example-service rollout failed: pod example-service-7d9f8b6c5d-x2k9q is ImagePullBackOff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rollout_that_does_not_finish_in_time_reports_the_last_state_and_what_to_inspect()
    {
        await using var api = new LoopbackKubeApi();
        api.ServeRollout(Namespace, Deployment, ["deployment-rolling.json"], ["pods-rolling.json"]);
        var connection = await KubeCluster.ConnectAsync(LoopbackKubeApi.Context, [api.Kubeconfig], TimeSpan.FromSeconds(10), CancellationToken.None);
        using var client = connection.Client;

        var error = await Assert.ThrowsAsync<RolloutFailedException>(() => new RolloutVerifier(client, new RecordingLog(), TimeSpan.FromMilliseconds(20))
            .WaitAsync(Namespace, Deployment, "example-service", RolloutEvaluatorTests.Digest, TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Contains("did not finish rolling out within", error.Message, StringComparison.Ordinal);
        Assert.Contains("1/2 replicas updated", error.Message, StringComparison.Ordinal);
        Assert.Contains($"kubectl -n {Namespace} describe deployment {Deployment}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_server_that_does_not_answer_names_the_kube_context()
    {
        string server;
        await using (var stopped = new LoopbackKubeApi())
        {
            server = stopped.Server;
        }

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"stopped-api-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, LoopbackKubeApi.KubeconfigFor(LoopbackKubeApi.Context, server));

        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() =>
            KubeCluster.ConnectAsync(LoopbackKubeApi.Context, [kubeconfig], TimeSpan.FromSeconds(5), CancellationToken.None));

        File.Delete(kubeconfig);
        Assert.StartsWith($"Cannot reach the Kubernetes cluster of kube context '{LoopbackKubeApi.Context}' at {server}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Start the cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_missing_from_the_kubeconfig_lists_the_contexts_there()
    {
        await using var api = new LoopbackKubeApi();

        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() =>
            KubeCluster.ConnectAsync("example-service-prod", [api.Kubeconfig], TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Contains("Kube context 'example-service-prod' is not in", error.Message, StringComparison.Ordinal);
        Assert.Contains($"(contexts there: {LoopbackKubeApi.Context})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_kubeconfig_at_all_says_how_to_get_one()
    {
        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() =>
            KubeCluster.ConnectAsync("kind-example-service", ["/nonexistent/kubeconfig"], TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Contains("kube context 'kind-example-service': no kubeconfig file at /nonexistent/kubeconfig", error.Message, StringComparison.Ordinal);
        Assert.Contains("kind create cluster", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubeconfig_files_come_from_the_parameter_then_KUBECONFIG_then_the_home_directory()
    {
        Assert.Equal(["/etc/k"], KubeCluster.KubeconfigFiles("/etc/k", "/a:/b", "/home/u"));
        Assert.Equal(["/a", "/b"], KubeCluster.KubeconfigFiles(null, "/a:/b", "/home/u"));
        Assert.Equal(["/home/u/.kube/config"], KubeCluster.KubeconfigFiles(" ", null, "/home/u"));
    }
}
