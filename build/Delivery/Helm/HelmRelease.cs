namespace ExampleService.Build.Delivery.Helm;

/// <summary>Where a release lives: its name, namespace and the kubeconfig context of the cluster.</summary>
public sealed record HelmRelease(string Name, string Namespace, string KubeContext)
{
    /// <summary>The chart's name, which is also the name of the service's container.</summary>
    public const string ChartName = "example-service";

    /// <summary>
    /// The Deployment the chart creates for this release: the chart's <c>example-service.fullname</c> rule (the
    /// release name alone when it already contains the chart name), without a fullnameOverride.
    /// </summary>
    public string DeploymentName
    {
        get
        {
            var name = Name.Contains(ChartName, StringComparison.Ordinal) ? Name : $"{Name}-{ChartName}";
            return name[..Math.Min(name.Length, 63)].TrimEnd('-');
        }
    }

    public override string ToString() => $"release {Name} in namespace {Namespace} (kube context {KubeContext})";
}

/// <summary>
/// One <c>helm upgrade --install</c>: the chart, the environment's values file, the values set on the command line
/// (the pushed image) and how long Helm may wait for the release to become ready.
/// </summary>
public sealed record HelmUpgradeRequest(
    HelmRelease Release,
    string Chart,
    string ValuesFile,
    IReadOnlyList<KeyValuePair<string, string>> Values,
    TimeSpan Timeout)
{
    /// <summary>The value HelmDeploy pins the image with; the rollout is verified against it.</summary>
    public const string DigestKey = "image.digest";

    public string Digest => Values.FirstOrDefault(v => v.Key == DigestKey).Value
        ?? throw new InvalidOperationException($"The upgrade of {Release} sets no {DigestKey}: HelmDeploy deploys digests, never tags.");
}
