using ExampleService.Build.Delivery.Kubernetes;
using k8s;
using k8s.Models;

namespace ExampleService.Build.Tests.Delivery.Kubernetes;

/// <summary>The rollout verdict from Deployment and pod-list API responses (Fixtures/), loaded with the client's own JSON settings.</summary>
public sealed class RolloutEvaluatorTests
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Container = "example-service";

    [Fact]
    public void Every_pod_ready_on_the_digest_is_complete()
    {
        var status = Evaluate("deployment-complete.json", "pods-complete.json");

        Assert.Equal(RolloutPhase.Complete, status.Phase);
        Assert.Equal($"example-service: 2/2 pods ready on {Digest}", status.ToString());
    }

    [Fact]
    public void Old_pods_still_running_and_a_new_pod_not_ready_is_progressing_with_the_details()
    {
        var status = Evaluate("deployment-rolling.json", "pods-rolling.json");

        Assert.Equal(RolloutPhase.Progressing, status.Phase);
        Assert.Contains("1/2 replicas updated", status.Details);
        Assert.Contains("2 old replica(s) still running", status.Details);
        Assert.Contains($"pod example-service-5c8b9d7f4a-h7t2w does not run {Digest} yet", status.Details);
        Assert.Contains("pod example-service-7d9f8b6c5d-x2k9q is not Ready", status.Details);
    }

    [Fact]
    public void A_generation_the_controller_has_not_seen_is_progressing()
    {
        var status = Evaluate("deployment-unobserved.json", "pods-complete.json");

        Assert.Equal(RolloutPhase.Progressing, status.Phase);
        Assert.Equal(["the controller has observed generation 2 of 3"], status.Details);
    }

    [Fact]
    public void An_image_that_cannot_be_pulled_fails_at_once()
    {
        var status = Evaluate("deployment-rolling.json", "pods-imagepullbackoff.json");

        Assert.Equal(RolloutPhase.Failed, status.Phase);
        Assert.StartsWith("pod example-service-7d9f8b6c5d-x2k9q is ImagePullBackOff: Back-off pulling image", status.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_exceeded_progress_deadline_fails()
    {
        var status = Evaluate("deployment-deadline-exceeded.json", "pods-rolling.json");

        Assert.Equal(RolloutPhase.Failed, status.Phase);
        Assert.Contains("progress deadline exceeded", status.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_template_on_another_digest_fails_because_waiting_cannot_fix_it()
    {
        var status = Evaluate("deployment-other-digest.json", "pods-complete.json");

        Assert.Equal(RolloutPhase.Failed, status.Phase);
        Assert.Contains($"not the pushed digest {Digest}", status.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_container_fails_with_its_name()
    {
        var status = RolloutEvaluator.Evaluate(Load<V1Deployment>("deployment-complete.json"), [], "sidecar", Digest);

        Assert.Equal(RolloutPhase.Failed, status.Phase);
        Assert.Equal("the pod template has no container named 'sidecar'", status.Details[0]);
    }

    [Fact]
    public void Too_few_pods_is_progressing()
    {
        var pods = Load<V1PodList>("pods-complete.json").Items.Take(1).ToList();

        var status = RolloutEvaluator.Evaluate(Load<V1Deployment>("deployment-complete.json"), pods, Container, Digest);

        Assert.Equal(RolloutPhase.Progressing, status.Phase);
        Assert.Contains("1/2 pods exist", status.Details);
    }

    internal static T Load<T>(string fixture) => KubernetesJson.Deserialize<T>(File.ReadAllText(LoopbackKubeApi.FixturePath(fixture)));

    private static RolloutStatus Evaluate(string deployment, string pods) =>
        RolloutEvaluator.Evaluate(Load<V1Deployment>(deployment), Load<V1PodList>(pods).Items.ToList(), Container, Digest);
}
