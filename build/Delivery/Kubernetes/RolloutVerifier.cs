using k8s;
using TypedBuild;

namespace ExampleService.Build.Delivery.Kubernetes;

/// <summary>The rollout failed or did not complete in time; the message carries the last evaluation.</summary>
public sealed class RolloutFailedException(string message) : Exception(message);

/// <summary>Polls a Deployment and its pods until <see cref="RolloutEvaluator"/> calls the rollout complete or failed.</summary>
public sealed class RolloutVerifier(IKubernetes client, IBuildLog log, TimeSpan pollInterval)
{
    public async Task<RolloutStatus> WaitAsync(
        string @namespace,
        string deploymentName,
        string containerName,
        string digest,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        RolloutStatus? last = null;
        try
        {
            while (true)
            {
                var status = await EvaluateOnceAsync(@namespace, deploymentName, containerName, digest, linked.Token).ConfigureAwait(false);
                if (status.ToString() != last?.ToString())
                {
                    log.Information(status.ToString());
                }

                last = status;
                switch (status.Phase)
                {
                    case RolloutPhase.Complete:
                        return status;
                    case RolloutPhase.Failed:
                        throw new RolloutFailedException($"Deployment {@namespace}/{deploymentName}: {status}");
                }

                await Task.Delay(pollInterval, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RolloutFailedException(
                $"Deployment {@namespace}/{deploymentName} did not finish rolling out within {timeout.TotalSeconds:0} s: {last?.ToString() ?? "no status read"}. " +
                $"Inspect it with 'kubectl -n {@namespace} describe deployment {deploymentName}' and the pods' events.");
        }
    }

    public async Task<RolloutStatus> EvaluateOnceAsync(string @namespace, string deploymentName, string containerName, string digest, CancellationToken cancellationToken)
    {
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync(deploymentName, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var selector = deployment.Spec?.Selector?.MatchLabels is { Count: > 0 } labels
            ? string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))
            : throw new RolloutFailedException($"Deployment {@namespace}/{deploymentName} has no matchLabels selector to find its pods by.");
        var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return RolloutEvaluator.Evaluate(deployment, pods.Items?.ToList() ?? [], containerName, digest);
    }
}
