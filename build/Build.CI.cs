using TypedBuild;
using TypedBuild.Ci;

namespace ExampleService.Build;

/// <summary>
/// The pipeline every CI system runs, declared once. <c>./build.sh GenerateCi</c> writes GitHub Actions, GitLab CI and
/// Concourse configurations from it; <c>CheckCiDrift</c> (part of Lint) fails while the committed files are stale.
/// </summary>
partial class Build
{
    /// <summary>
    /// Promotion: pull requests and every branch run the quality stages, <c>develop</c> deploys to dev, <c>main</c> to
    /// staging, and a <c>v*</c> tag to prod once someone approves. Each job is one build call.
    /// </summary>
    internal static CiPipeline CiPipeline { get; } = new()
    {
        Name = "example-service",
        // Matches the line the Coverage target prints: "Coverage: line 87.5%, branch 71.2%; report in ...".
        CoverageRegex = @"Coverage: line (\d+(?:\.\d+)?)%",
        Environments = [new("dev"), new("staging"), new("prod", Protected: true)],
        Secrets =
        [
            new("SLACK_WEBHOOK_URL", "Slack incoming webhook: failures (and deploys) are posted there") { ForEveryJob = true },
            new("SONAR_HOST_URL", "SonarQube server URL; without it Sonar is skipped"),
            new("SONAR_TOKEN", "SonarQube token with Execute Analysis permission"),
            new("DOCKER_REGISTRY", "Registry (host[/namespace]) Push pushes to, e.g. ghcr.io/acme; a CI variable rather than a secret where the CI has both"),
            new("REGISTRY_USERNAME", "User the Push target logs in to the image registry with"),
            new("REGISTRY_PASSWORD", "Password or token for the image registry"),
            new("KUBECONFIG_DATA", "Kubeconfig (file content) with the environment's kube context"),
        ],
        Artifacts =
        [
            new("test-results", ["artifacts/test-results/"], CiReportKind.JUnit) { UploadOnFailure = true, ReportPaths = ["artifacts/test-results/*.junit.xml"] },
            new("coverage", ["artifacts/coverage/"]) { UploadOnFailure = true },
            new("coverage-report", ["artifacts/coverage-report/"], CiReportKind.Cobertura) { UploadOnFailure = true, ReportPaths = ["artifacts/coverage-report/Cobertura.xml"] },
            new("image", ["artifacts/image.json"]),
        ],
        Jobs =
        [
            new()
            {
                Id = "quality",
                DisplayName = "Compile, test, lint, Sonar",
                // The first job runs the whole chain: Sonar's begin step and the analyzer report need Compile in the same run.
                Targets = [CiTargets.Test, CiTargets.Lint, CiTargets.Sonar],
                SkipOtherTargets = false,
                Triggers = QualityTriggers,
                Secrets = ["SONAR_HOST_URL", "SONAR_TOKEN"],
                Produces = ["test-results", "coverage"],
            },
            new()
            {
                Id = "coverage",
                DisplayName = "Coverage report and thresholds",
                Targets = [CiTargets.Coverage],
                Needs = ["quality"],
                Triggers = QualityTriggers,
                Consumes = ["test-results", "coverage"],
                Produces = ["coverage-report"],
            },
            new()
            {
                Id = "e2e-kind",
                DisplayName = "End-to-end on a kind cluster",
                Profile = "kind",
                Needs = ["quality"],
                Triggers = [CiTrigger.PullRequests, CiTrigger.AnyBranch],
                // Pushes to the cluster's registry (kind-registry:5000) and deploys from it with the kind profile; HelmDeploy runs helm test.
                Targets = [CiTargets.DockerBuild, CiTargets.Push, CiTargets.HelmDeploy],
                KindCluster = new("example-service"),
                UsesDocker = true,
                Variables = new Dictionary<string, string> { ["DOCKER_REGISTRY"] = "kind-registry:5000" },
                // Only GitHub's hosted runners come with a Docker engine for kind.
                Systems = [CiSystem.GitHubActions],
            },
            new()
            {
                Id = "package",
                DisplayName = "Build and push the image",
                Targets = [CiTargets.DockerBuild, CiTargets.Push],
                Needs = ["quality", "coverage"],
                Triggers = DeliveryTriggers,
                Secrets = ["DOCKER_REGISTRY", "REGISTRY_USERNAME", "REGISTRY_PASSWORD"],
                UsesDocker = true,
                Produces = ["image"],
            },
            Deployment("dev", CiTrigger.Branch("develop")),
            Deployment("staging", CiTrigger.Branch("main")),
            Deployment("prod", CiTrigger.Tag("v*")) with
            {
                RequiresApproval = true,
                // HelmDeploy refuses prod without an approval: the protected environment is that approval.
                Variables = new Dictionary<string, string> { ["DEPLOY_APPROVED"] = "true" },
            },
            new()
            {
                Id = "rollback",
                DisplayName = "Rollback",
                Targets = [CiTargets.Rollback],
                Dispatch = new(["dev", "staging", "prod"], [new("revision", "REVISION", "Helm revision to roll back to (empty: the previous one)")]),
                Secrets = ["KUBECONFIG_DATA"],
                Interruptible = false,
            },
        ],
    };

    static IReadOnlyList<CiTrigger> QualityTriggers => [CiTrigger.PullRequests, CiTrigger.AnyBranch, CiTrigger.Tag("v*")];

    static IReadOnlyList<CiTrigger> DeliveryTriggers => [CiTrigger.Branch("develop"), CiTrigger.Branch("main"), CiTrigger.Tag("v*")];

    static CiJob Deployment(string environment, CiTrigger trigger) => new()
    {
        Id = $"deploy-{environment}",
        DisplayName = $"Deploy to {environment}",
        Targets = [CiTargets.HelmDeploy],
        Profile = environment,
        Needs = ["package"],
        Triggers = [trigger],
        Environment = environment,
        Secrets = ["KUBECONFIG_DATA"],
        Consumes = ["image"],
        Interruptible = false,
    };

    /// <summary>The CI files as the declaration generates them, checked against this build's targets.</summary>
    internal static IReadOnlyList<GeneratedFile> CiFiles => CiGenerator.Generate(CiPipeline, TargetNamesOf(typeof(Build)));

    Target GenerateCi => _ => _
        .Description("Writes .github/workflows, .gitlab-ci.yml and ci/concourse/pipeline.yml from the pipeline in Build.CI.cs")
        .Executes(() =>
        {
            var changed = CiGenerator.WriteFiles(CiFiles, RootDirectory);
            ReportSummary("Changed files", changed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Log.Information(changed.Count == 0 ? "CI configurations are up to date" : $"Wrote {string.Join(", ", changed)}");
        });

    Target CheckCiDrift => _ => _
        .Description("Fails when the committed CI configurations differ from what GenerateCi writes")
        .Unlisted()
        .DependentFor(Lint)
        .ProceedAfterFailure()
        .Executes(() =>
        {
            var drifts = CiDriftChecker.Check(CiFiles, RootDirectory);
            if (drifts.Count > 0)
            {
                throw new InvalidOperationException(CiDriftChecker.Describe(drifts, CiPipeline.RegenerateCommand));
            }

            Log.Information("CI configurations match the pipeline declaration");
        });

    /// <summary>The targets the jobs run, named once for the declaration above.</summary>
    static class CiTargets
    {
        public const string Test = nameof(Build.Test);
        public const string Lint = nameof(Build.Lint);
        public const string Sonar = nameof(Build.Sonar);
        public const string Coverage = nameof(Build.Coverage);
        public const string DockerBuild = nameof(Build.DockerBuild);
        public const string Push = nameof(Build.Push);
        public const string HelmDeploy = nameof(Build.HelmDeploy);
        public const string Rollback = nameof(Build.Rollback);
    }
}
