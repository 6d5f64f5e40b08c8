namespace ExampleService.Build.Delivery.Helm;

/// <summary>Where a release lives: its name, namespace and the kubeconfig context of the cluster.</summary>
public sealed record HelmRelease(string Name, string Namespace, string KubeContext);

/// <summary>
/// One <c>helm upgrade --install</c>: the chart, the environment's values file, the values set on the command line
/// (the pushed image) and how long Helm may wait for the release to become ready.
/// </summary>
public sealed record HelmUpgradeRequest(
    HelmRelease Release,
    string Chart,
    string ValuesFile,
    IReadOnlyList<KeyValuePair<string, string>> Values,
    TimeSpan Timeout);
