using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace ExampleService.Build.Delivery.Kubernetes;

/// <summary>The cluster of a kube context could not be reached; the message names the context and what to do.</summary>
public sealed class ClusterUnreachableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>A connected client and the API server's version, proof that the cluster answered.</summary>
public sealed record KubeConnection(IKubernetes Client, string KubeContext, string Server, string ServerVersion);

/// <summary>
/// Connects to the cluster of a kube context the way kubectl and helm would (the same kubeconfig files) and probes
/// its API server, so deploy targets fail fast with a clear message before Helm prints its own.
/// </summary>
public static class KubeCluster
{
    /// <summary>The kubeconfig files in effect: the configured one, else those listed in KUBECONFIG, else ~/.kube/config.</summary>
    public static IReadOnlyList<string> KubeconfigFiles(string? configured, string? kubeconfigVariable, string homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return [configured];
        }

        if (!string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            return kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return [Path.Combine(homeDirectory, ".kube", "config")];
    }

    public static Task<KubeConnection> ConnectAsync(string kubeContext, string? kubeconfig, TimeSpan timeout, CancellationToken cancellationToken) =>
        ConnectAsync(
            kubeContext,
            KubeconfigFiles(kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)),
            timeout,
            cancellationToken);

    public static async Task<KubeConnection> ConnectAsync(string kubeContext, IReadOnlyList<string> kubeconfigFiles, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kubeContext);
        var configuration = LoadClientConfiguration(kubeContext, kubeconfigFiles);
        var client = new k8s.Kubernetes(configuration);
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(timeout);
        try
        {
            var version = await client.Version.GetCodeAsync(probe.Token).ConfigureAwait(false);
            return new KubeConnection(client, kubeContext, configuration.Host, version.GitVersion);
        }
        catch (Exception e) when (e is HttpRequestException or KubernetesClientException or k8s.Autorest.HttpOperationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            client.Dispose();
            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
            throw new ClusterUnreachableException(
                $"Cannot reach the Kubernetes cluster of kube context '{kubeContext}' at {configuration.Host}: {reason}. " +
                "Start the cluster (kind, minikube), check the network or VPN, or choose another context with --kube-context.",
                e);
        }
    }

    private static K8SConfiguration Load(FileInfo file)
    {
        try
        {
            return KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: true);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or YamlDotNet.Core.YamlException)
        {
            throw new ClusterUnreachableException($"The kubeconfig {file.FullName} cannot be read: {e.Message}", e);
        }
    }

    private static KubernetesClientConfiguration LoadClientConfiguration(string kubeContext, IReadOnlyList<string> kubeconfigFiles)
    {
        var existing = kubeconfigFiles.Where(File.Exists).Select(f => new FileInfo(f)).ToArray();
        if (existing.Length == 0)
        {
            throw new ClusterUnreachableException(
                $"Cannot reach the Kubernetes cluster of kube context '{kubeContext}': no kubeconfig file at {string.Join(", ", kubeconfigFiles)}. " +
                "Create a cluster (e.g. 'kind create cluster --name example-service'), or point KUBECONFIG or --kubeconfig at the cluster's kubeconfig.");
        }

        // Like kubectl, the first file that defines the context wins.
        var loaded = existing.Select(Load).ToList();
        var kubeconfig = loaded.Find(c => c.Contexts?.Any(x => x.Name == kubeContext) == true);
        if (kubeconfig is null)
        {
            var contexts = loaded.SelectMany(c => c.Contexts ?? []).Select(c => c.Name).Distinct().ToList();
            throw new ClusterUnreachableException(
                $"Kube context '{kubeContext}' is not in {string.Join(", ", existing.Select(f => f.FullName))} " +
                $"(contexts there: {(contexts.Count == 0 ? "none" : string.Join(", ", contexts))}). " +
                "Set KubeContext in .nuke/parameters.<env>.json or pass --kube-context.");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, kubeContext);
        }
        catch (KubeConfigException e)
        {
            throw new ClusterUnreachableException($"Kube context '{kubeContext}' is not usable: {e.Message}", e);
        }
    }
}
