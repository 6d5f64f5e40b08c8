using ExampleService.Build.Delivery;
using ExampleService.Build.Delivery.Environments;
using TypedBuild;
using TypedBuild.Ci;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

/// <summary>
/// The pipeline every CI system runs, declared once. <c>./build.sh GenerateCi</c> writes GitHub Actions, GitLab CI and
/// Concourse configurations from it; <c>CheckCiDrift</c> (part of Lint) fails while the committed files are stale.
/// </summary>
partial class Build
{
    /// <summary>The folder of the CI toolchain image's Dockerfile; the image's tag is a hash of it.</summary>
    internal const string CiImageFolder = "ci/toolchain";

    /// <summary>
    /// Promotion, from environments.json: pull requests and every branch run the quality stages; the first environment's
    /// trigger (develop) builds and pushes the image once, and each environment's trigger promotes it there by digest
    /// (develop → dev, main → staging, a v* tag → prod once someone approves). Each job is one build call. GitLab jobs
    /// and Concourse tasks run in the toolchain image of <see cref="CiImageFolder"/>, which the first job builds when
    /// its content changed; GitHub jobs run on the hosted runner, whose tools the build completes itself (see README).
    /// </summary>
    internal static CiPipeline CiPipelineIn(AbsolutePath root) => CiPipelineFor(root, EnvironmentDeclaration.Load(root));

    static CiPipeline CiPipelineFor(AbsolutePath root, EnvironmentDeclaration environments) => new()
    {
        Name = "example-service",
        Machines = CiMachines(CiImageExecutables(root)),
        JobImage = new("example-service-ci", "DOCKER_REGISTRY", CiJobImage.ContentTagOf(root / CiImageFolder))
        {
            UsernameVariable = "REGISTRY_USERNAME",
            PasswordVariable = "REGISTRY_PASSWORD",
        },
        // Matches the line the Coverage target prints: "Coverage: line 87.5%, branch 71.2%; report in ...".
        CoverageRegex = @"Coverage: line (\d+(?:\.\d+)?)%",
        Environments = [.. environments.Promotion.Select(e => new CiEnvironment(e.Name, e.Protected))],
        ApprovalVariable = DeployGateDecision.ApprovalVariable,
        Secrets =
        [
            new("SLACK_WEBHOOK_URL", "Slack incoming webhook: failures (and deploys) are posted there") { ForEveryJob = true },
            new("SONAR_HOST_URL", "SonarQube server URL; without it Sonar is skipped"),
            new("SONAR_TOKEN", "SonarQube token with Execute Analysis permission"),
            new("DOCKER_REGISTRY", "Registry (host[/namespace]) Push pushes to, e.g. ghcr.io/acme; a CI variable rather than a secret where the CI has both"),
            new("REGISTRY_USERNAME", "User the Push target logs in to the image registry with"),
            new("REGISTRY_PASSWORD", "Password or token for the image registry"),
            // The engine reads these itself (README: Remote cache store): every job reads and fills the same store.
            new("TYPEDBUILD_CACHE_REGISTRY", "Remote target cache, <registry>/<repository> (e.g. ghcr.io/acme/example-service-build-cache): jobs and runs share cached targets through it; without it each job has only its own local cache") { ForEveryJob = true },
            new("TYPEDBUILD_CACHE_REGISTRY_USERNAME", "User the build logs in to the remote target cache's registry with (often REGISTRY_USERNAME's)") { ForEveryJob = true },
            new("TYPEDBUILD_CACHE_REGISTRY_PASSWORD", "Password or token for the remote target cache's registry (pushes need write access; pull requests only read)") { ForEveryJob = true },
            new("KUBECONFIG_DATA", "Kubeconfig (file content) of the environment's own deploy identity (infra/: a namespace-scoped ServiceAccount); an environment-scoped secret, one per environment") { PerEnvironment = true },
        ],
        Artifacts =
        [
            new("test-results", ["artifacts/test-results/Test/"], CiReportKind.JUnit) { UploadOnFailure = true, ReportPaths = ["artifacts/test-results/Test/*.junit.xml"] },
            new("coverage", ["artifacts/coverage/Test/"]) { UploadOnFailure = true },
            new("image-test-results", ["artifacts/test-results/TestImage/"], CiReportKind.JUnit) { UploadOnFailure = true, ReportPaths = ["artifacts/test-results/TestImage/*.junit.xml"] },
            new("image-coverage", ["artifacts/coverage/TestImage/"]) { UploadOnFailure = true },
            new("coverage-report", ["artifacts/coverage-report/"], CiReportKind.Cobertura) { UploadOnFailure = true, ReportPaths = ["artifacts/coverage-report/Cobertura.xml"] },
        ],
        Jobs =
        [
            new()
            {
                Id = "ci-image",
                DisplayName = "CI toolchain image",
                Targets = [CiTargets.CiImage],
                Triggers = QualityTriggers,
                Secrets = ["DOCKER_REGISTRY", "REGISTRY_USERNAME", "REGISTRY_PASSWORD"],
                BuildsJobImage = true,
                UsesDocker = true,
                // GitHub jobs run on the hosted runner, not in the image.
                Systems = [CiSystem.GitLab, CiSystem.Concourse],
            },
            new()
            {
                Id = "quality",
                DisplayName = "Compile, test, lint, Sonar",
                // The first job runs the whole chain: Sonar's begin step and the analyzer report need Compile in the same run.
                Targets = [CiTargets.Test, CiTargets.Lint, CiTargets.Sonar],
                SkipOtherTargets = false,
                Needs = ["ci-image"],
                Triggers = QualityTriggers,
                Secrets = ["SONAR_HOST_URL", "SONAR_TOKEN"],
                Produces = ["test-results", "coverage"],
            },
            new()
            {
                Id = "image-tests",
                DisplayName = "Image tests on a Docker engine",
                Targets = [CiTargets.TestImage],
                // Its own Compile: a job starts from a clean checkout.
                SkipOtherTargets = false,
                Needs = ["ci-image"],
                Triggers = QualityTriggers,
                UsesDocker = true,
                Produces = ["image-test-results", "image-coverage"],
            },
            new()
            {
                Id = "coverage",
                DisplayName = "Coverage report and thresholds",
                Targets = [CiTargets.Coverage],
                Needs = ["quality", "image-tests"],
                Triggers = QualityTriggers,
                Consumes = ["test-results", "coverage", "image-test-results", "image-coverage"],
                Produces = ["coverage-report"],
            },
            new()
            {
                Id = "e2e-kind",
                DisplayName = "End-to-end on a kind cluster",
                Profile = "kind",
                Needs = ["quality"],
                Triggers = [CiTrigger.PullRequests, CiTrigger.AnyBranch],
                // Pushes to the cluster's registry (kind-registry:5000) and deploys from it with the kind sandbox profile; Promote runs helm test.
                Targets = [CiTargets.DockerBuild, CiTargets.Push, CiTargets.Promote],
                KindCluster = new("example-service"),
                UsesDocker = true,
                Variables = new Dictionary<string, string> { ["DOCKER_REGISTRY"] = "kind-registry:5000" },
                // Only GitHub's hosted runners come with a Docker engine for kind.
                Systems = [CiSystem.GitHubActions],
            },
            new()
            {
                Id = "package",
                DisplayName = "Build and push the image (once per commit)",
                Targets = [CiTargets.DockerBuild, CiTargets.Push],
                Needs = ["quality", "coverage"],
                // Only the first environment's ref builds; every later environment promotes that digest.
                Triggers = [environments.Promotion[0].Trigger!],
                Secrets = ["DOCKER_REGISTRY", "REGISTRY_USERNAME", "REGISTRY_PASSWORD"],
                UsesDocker = true,
            },
            .. environments.Promotion.Select(Promotion),
            new()
            {
                Id = "rollback",
                DisplayName = "Rollback",
                Targets = [CiTargets.Rollback],
                Needs = ["ci-image"],
                Dispatch = new([.. environments.Promotion.Select(e => e.Name)], [new("revision", "REVISION", "Helm revision to roll back to (empty: the previous one)")]),
                Secrets = ["DOCKER_REGISTRY", "REGISTRY_USERNAME", "REGISTRY_PASSWORD", "KUBECONFIG_DATA"],
                Interruptible = false,
            },
        ],
    };

    /// <summary>
    /// The machine of each job on each host. GitHub jobs run on <c>ubuntu-latest</c>, whose tools the build completes with
    /// <c>sudo -n apt-get</c> and npm; GitLab jobs and Concourse tasks run in the toolchain image, which must carry what
    /// their targets need (nothing is installed at run time), and get a Docker Engine only where they declare UsesDocker
    /// (GitLab: the socket-bound runner; Concourse: a privileged task starting the image's own dockerd).
    /// </summary>
    static Func<CiSystem, CiJob, DeclaredMachine> CiMachines(HashSet<string> toolchain) => (system, job) => system switch
    {
        CiSystem.GitHubActions => new DeclaredMachine("GitHub's ubuntu-latest runner")
        {
            // The runner image's toolset (actions/runner-images): no docker-registry, which the build installs.
            Executables = new HashSet<string> { "docker", "dotnet", "git", "google-chrome", "helm", "node", "npm", "pg_ctlcluster", "shellcheck", "sudo" },
            HasDockerEngine = true,
            InstallsDebianPackages = true,
            FetchesNpmPackages = true,
        },
        _ when job.BuildsJobImage => new DeclaredMachine("the public .NET SDK image")
        {
            Executables = new HashSet<string> { "dotnet", "git", "curl" },
            HasDockerEngine = job.UsesDocker,
            // Root in a Debian image: a privileged Concourse task installs docker.io there to start its engine.
            InstallsDebianPackages = system == CiSystem.Concourse,
        },
        _ => new DeclaredMachine($"the CI toolchain image ({CiImageFolder}/executables.txt)")
        {
            Executables = new HashSet<string>(toolchain.Append("dotnet")),
            HasDockerEngine = job.UsesDocker && (system == CiSystem.GitLab || toolchain.Contains("dockerd")),
        },
    };

    /// <summary>The executables the toolchain image declares, one per line of <c>executables.txt</c> ('#' starts a comment).</summary>
    static HashSet<string> CiImageExecutables(AbsolutePath root)
        => File.ReadAllLines(root / CiImageFolder / "executables.txt")
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

    static IReadOnlyList<CiTrigger> QualityTriggers => [CiTrigger.PullRequests, CiTrigger.AnyBranch, CiTrigger.Tag("v*")];

    /// <summary>
    /// The job promoting to one environment: the first waits for the package job of its commit; the later ones build
    /// nothing and only need the quality gates of their own ref, since they deploy a digest verified upstream.
    /// </summary>
    static CiJob Promotion(DeployEnvironment environment) => new()
    {
        Id = $"deploy-{environment.Name}",
        DisplayName = environment.PromotesFrom is { } from ? $"Promote to {environment.Name} what {from} verified" : $"Deploy to {environment.Name}",
        Targets = [CiTargets.Promote],
        Profile = environment.Name,
        Needs = environment.PromotesFrom is null ? ["package"] : ["quality", "coverage"],
        Triggers = [environment.Trigger!],
        Environment = environment.Name,
        RequiresApproval = environment.Protected,
        Secrets = ["DOCKER_REGISTRY", "REGISTRY_USERNAME", "REGISTRY_PASSWORD", "KUBECONFIG_DATA"],
        Interruptible = false,
    };

    /// <summary>The CI files as the declaration generates them for the checkout at <paramref name="root"/>, checked against this build's targets.</summary>
    internal static IReadOnlyList<GeneratedFile> CiFilesIn(AbsolutePath root) => CiGenerator.Generate(CiPipelineIn(root), TargetNamesOf(typeof(Build)));

    /// <summary>The CI files for a checkout whose environments.json is <paramref name="environments"/> (tests add an environment this way).</summary>
    internal static IReadOnlyList<GeneratedFile> CiFilesIn(AbsolutePath root, EnvironmentDeclaration environments) => CiGenerator.Generate(CiPipelineFor(root, environments), TargetNamesOf(typeof(Build)));

    /// <summary>The same files, with every job's planned targets checked against the machine it runs on.</summary>
    IReadOnlyList<GeneratedFile> CheckedCiFiles => Environments.MissingFiles(RootDirectory) is { Count: > 0 } missing
        ? throw new InvalidOperationException($"{EnvironmentDeclaration.FileName} declares files that do not exist:\n  - {string.Join("\n  - ", missing)}")
        : CiGenerator.Generate(CiPipelineFor(RootDirectory, Environments), TargetNamesOf(typeof(Build)), requirementsOfCall: RequirementsOfCall);

    Target GenerateCi => _ => _
        .Description("Writes .github/workflows, .gitlab-ci.yml and ci/concourse/pipeline.yml from the pipeline in Build.CI.cs")
        .Executes(() =>
        {
            var changed = CiGenerator.WriteFiles(CheckedCiFiles, RootDirectory);
            ReportSummary("Changed files", changed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Log.Information(changed.Count == 0 ? "CI configurations are up to date" : $"Wrote {string.Join(", ", changed)}");
        });

    Target CheckCiDrift => _ => _
        .Description("Fails when the committed CI configurations differ from what GenerateCi writes")
        .Unlisted()
        .DependentFor(Lint)
        .ProceedAfterFailure()
        .InputFiles(".github/**", ".gitlab-ci.yml", "ci/**", "build/**", "global.json", "dotnet-tools.json", "!build/bin/**", "!build/obj/**", "!**/node_modules/**")
        .Executes(() =>
        {
            var drifts = CiDriftChecker.Check(CheckedCiFiles, RootDirectory);
            if (drifts.Count > 0)
            {
                throw new InvalidOperationException(CiDriftChecker.Describe(drifts, CiPipelineIn(RootDirectory).RegenerateCommand));
            }

            Log.Information("CI configurations match the pipeline declaration");
        });

    /// <summary>The targets the jobs run, named once for the declaration above.</summary>
    static class CiTargets
    {
        public const string CiImage = nameof(Build.CiImage);
        public const string Test = nameof(Build.Test);
        public const string TestImage = nameof(Build.TestImage);
        public const string Lint = nameof(Build.Lint);
        public const string Sonar = nameof(Build.Sonar);
        public const string Coverage = nameof(Build.Coverage);
        public const string DockerBuild = nameof(Build.DockerBuild);
        public const string Push = nameof(Build.Push);
        public const string Promote = nameof(Build.Promote);
        public const string Rollback = nameof(Build.Rollback);
    }
}
