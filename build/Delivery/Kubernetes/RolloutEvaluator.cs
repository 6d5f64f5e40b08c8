using k8s.Models;

namespace ExampleService.Build.Delivery.Kubernetes;

public enum RolloutPhase
{
    /// <summary>Every desired pod is updated, available, ready and runs the expected digest.</summary>
    Complete,

    /// <summary>Not there yet, nothing wrong so far: poll again.</summary>
    Progressing,

    /// <summary>It will not get there by waiting: stop and report.</summary>
    Failed,
}

/// <summary>Where a rollout stands. <see cref="Details"/> lists what is still missing or what went wrong.</summary>
public sealed record RolloutStatus(RolloutPhase Phase, string Summary, IReadOnlyList<string> Details)
{
    public override string ToString() => Details.Count == 0 ? Summary : $"{Summary}: {string.Join("; ", Details)}";
}

/// <summary>
/// Judges a Deployment's rollout from its status and its pods, as read from the API server: the controller saw the
/// newest generation, all replicas are updated and available, and every live pod is Ready and runs the pushed
/// digest. Pure: the tests feed it recorded API responses.
/// </summary>
public static class RolloutEvaluator
{
    /// <summary>Waiting reasons that never resolve by themselves.</summary>
    private static readonly HashSet<string> FatalWaitingReasons = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
    };

    public static RolloutStatus Evaluate(V1Deployment deployment, IReadOnlyList<V1Pod> pods, string containerName, string digest)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentException.ThrowIfNullOrWhiteSpace(digest);

        var name = deployment.Metadata?.Name ?? "deployment";
        var status = deployment.Status ?? new V1DeploymentStatus();

        var templateImage = deployment.Spec?.Template?.Spec?.Containers?.FirstOrDefault(c => c.Name == containerName)?.Image;
        if (templateImage is null)
        {
            return Failed(name, $"the pod template has no container named '{containerName}'");
        }

        if (!templateImage.EndsWith("@" + digest, StringComparison.Ordinal))
        {
            return Failed(name, $"the pod template runs '{templateImage}', not the pushed digest {digest}");
        }

        if (status.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Reason: "ProgressDeadlineExceeded" } deadline)
        {
            return Failed(name, $"progress deadline exceeded: {deadline.Message}");
        }

        var generation = deployment.Metadata?.Generation ?? 0;
        if ((status.ObservedGeneration ?? 0) < generation)
        {
            return Progressing(name, $"the controller has observed generation {status.ObservedGeneration ?? 0} of {generation}");
        }

        var livePods = pods.Where(p => p.Metadata?.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var podProblems = new List<string>();
        foreach (var pod in livePods)
        {
            var podName = pod.Metadata?.Name ?? "pod";
            var container = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == containerName);
            var runsDigest = RunsDigest(pod, container, containerName, digest);
            if (runsDigest && container?.State?.Waiting is { } waiting && FatalWaitingReasons.Contains(waiting.Reason ?? string.Empty))
            {
                return Failed(name, $"pod {podName} is {waiting.Reason}: {waiting.Message}".TrimEnd(' ', ':'));
            }

            if (!runsDigest)
            {
                podProblems.Add($"pod {podName} does not run {digest} yet");
            }
            else if (!IsReady(pod))
            {
                podProblems.Add($"pod {podName} is not Ready");
            }
        }

        var desired = deployment.Spec?.Replicas ?? 1;
        var progress = new List<string>();
        AddShortfall(progress, status.UpdatedReplicas, desired, "updated");
        AddShortfall(progress, status.AvailableReplicas, desired, "available");
        AddShortfall(progress, status.ReadyReplicas, desired, "ready");
        if ((status.Replicas ?? 0) > (status.UpdatedReplicas ?? 0))
        {
            progress.Add($"{status.Replicas - (status.UpdatedReplicas ?? 0)} old replica(s) still running");
        }

        if (livePods.Count < desired)
        {
            progress.Add($"{livePods.Count}/{desired} pods exist");
        }

        IReadOnlyList<string> missing = [.. progress, .. podProblems];
        return missing.Count == 0
            ? new RolloutStatus(RolloutPhase.Complete, $"{name}: {desired}/{desired} pods ready on {digest}", [])
            : new RolloutStatus(RolloutPhase.Progressing, $"{name} is rolling out", missing);
    }

    /// <summary>The pod asks for the digest and the kubelet reports that digest as the image it runs.</summary>
    private static bool RunsDigest(V1Pod pod, V1ContainerStatus? container, string containerName, string digest)
    {
        var specImage = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == containerName)?.Image ?? string.Empty;
        return specImage.EndsWith("@" + digest, StringComparison.Ordinal)
            && container is not null
            && ((container.ImageID ?? string.Empty).Contains(digest, StringComparison.Ordinal)
                || (container.Image ?? string.Empty).Contains(digest, StringComparison.Ordinal));
    }

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Phase == "Running"
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static void AddShortfall(List<string> progress, int? actual, int desired, string what)
    {
        if ((actual ?? 0) < desired)
        {
            progress.Add($"{actual ?? 0}/{desired} replicas {what}");
        }
    }

    private static RolloutStatus Progressing(string name, string detail) => new(RolloutPhase.Progressing, $"{name} is rolling out", [detail]);

    private static RolloutStatus Failed(string name, string detail) => new(RolloutPhase.Failed, $"{name} rollout failed", [detail]);
}
