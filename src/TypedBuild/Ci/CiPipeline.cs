namespace TypedBuild.Ci;

/// <summary>
/// A build's CI pipeline, declared once and written for every CI system by <see cref="CiGenerator"/>. Each job runs
/// one <c>./build.sh &lt;Targets&gt; --skip</c> call; the writers only add each host's checkout, cache, artifact and
/// secret plumbing around it.
/// </summary>
public sealed record CiPipeline
{
    /// <summary>Pipeline (and workflow) name, e.g. the repository name.</summary>
    public required string Name { get; init; }

    public required IReadOnlyList<CiJob> Jobs { get; init; }

    public IReadOnlyList<CiEnvironment> Environments { get; init; } = [];

    /// <summary>
    /// The variable every job acting on a <see cref="CiEnvironment.Protected"/> environment gets as <c>true</c>, behind
    /// that environment's approval gate: deploy and dispatched (rollback) jobs alike, on every host. The build refuses a
    /// protected environment without it. Null: no approval variable.
    /// </summary>
    public string? ApprovalVariable { get; init; }

    /// <summary>Secrets the jobs may receive, as environment variables (the build reads parameters from them).</summary>
    public IReadOnlyList<CiSecret> Secrets { get; init; } = [];

    /// <summary>Files handed from one job to later ones, and report files the CI system shows.</summary>
    public IReadOnlyList<CiArtifact> Artifacts { get; init; } = [];

    /// <summary>Bootstrap script every job calls.</summary>
    public string BuildScript { get; init; } = "./build.sh";

    /// <summary>Target that regenerates the files; printed in each file's banner.</summary>
    public string GenerateTarget { get; init; } = "GenerateCi";

    /// <summary>Branch the pipeline definition itself is taken from (Concourse self-update).</summary>
    public string DefaultBranch { get; init; } = "main";

    /// <summary>Container image with the .NET SDK, for hosts that run jobs in containers.</summary>
    public string SdkImage { get; init; } = "mcr.microsoft.com/dotnet/sdk:10.0";

    /// <summary>
    /// The toolchain image containerised jobs run in (GitLab jobs, Concourse tasks) instead of <see cref="SdkImage"/>:
    /// built by the job that has <see cref="CiJob.BuildsJobImage"/>, which itself runs in the SDK image.
    /// </summary>
    public CiJobImage? JobImage { get; init; }

    /// <summary>
    /// What each job's machine provides on each host (its image or runner): the CI generator refuses a job whose
    /// planned targets require a tool its machine cannot provide. Null: not checked.
    /// </summary>
    public Func<CiSystem, CiJob, Provisioning.DeclaredMachine>? Machines { get; init; }

    /// <summary>
    /// Branches Concourse builds in a pipeline instance of their own (an RE2 regular expression; the default takes
    /// <c>feature/x</c>, <c>fix/y</c> and the like). The other CI systems build every branch and pull request.
    /// </summary>
    public string FeatureBranchRegex { get; init; } = ".+/.+";

    /// <summary>Regular expression matching the coverage figure the build prints (GitLab's <c>coverage:</c>).</summary>
    public string? CoverageRegex { get; init; }

    public string RegenerateCommand => $"{BuildScript} {GenerateTarget}";

    /// <summary>
    /// What a CI system's own failure hook runs: the build announces the failure on Slack (built in one place) unless
    /// the build in the failed job announced it already, which it records in <see cref="FailureMarkerPath"/>.
    /// </summary>
    public IReadOnlyList<string> AnnounceFailureCall(CiFailure failure) => [BuildScript, Cli.BuiltInOptions.AnnounceFailure.Name, failure.ToString().ToLowerInvariant()];

    /// <summary>The file a build that announced its failure leaves, for the hook to find (an artifact on GitLab, a task output on Concourse).</summary>
    public static string FailureMarkerPath => Execution.FailureMarker.RelativePath;

    public CiJob Job(string id)
        => Jobs.FirstOrDefault(j => j.Id == id)
           ?? throw new ArgumentException($"The pipeline has no job '{id}'. Jobs: {string.Join(", ", Jobs.Select(j => j.Id))}.", nameof(id));

    public CiArtifact Artifact(string name)
        => Artifacts.FirstOrDefault(a => a.Name == name)
           ?? throw new ArgumentException($"The pipeline declares no artifact '{name}'.", nameof(name));

    public CiEnvironment? Environment(string? name) => Environments.FirstOrDefault(e => e.Name == name);

    /// <summary>The job's variables when it acts on <paramref name="environment"/> (default: its own): with the approval for a protected one.</summary>
    public IReadOnlyDictionary<string, string> VariablesFor(CiJob job, string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return ApprovalVariable is { } approval && Environment(environment ?? job.Environment) is { Protected: true }
            ? job.Variables.Where(v => v.Key != approval).Append(new(approval, "true")).ToDictionary()
            : job.Variables;
    }

    public CiSecret Secret(string name)
        => Secrets.FirstOrDefault(s => s.Name == name)
           ?? throw new ArgumentException($"The pipeline declares no secret '{name}'.", nameof(name));

    /// <summary>The secrets a job receives: its own and those for every job, in declaration order.</summary>
    public IEnumerable<CiSecret> SecretsFor(CiJob job) => Secrets.Where(s => s.ForEveryJob || job.Secrets.Contains(s.Name));

    /// <summary>The jobs a host runs, in declaration order.</summary>
    public IEnumerable<CiJob> JobsFor(CiSystem system) => Jobs.Where(j => j.Systems.Contains(system));

    /// <summary>
    /// A job's needs on one host: a need the host does not run (the job image's builder on GitHub) is replaced by that
    /// job's own needs, so the order between the jobs the host does run stays as declared.
    /// </summary>
    public IReadOnlyList<string> NeedsOn(CiSystem system, CiJob job)
        => job.Needs.SelectMany(id => Job(id) is var need && need.Systems.Contains(system) ? [id] : NeedsOn(system, need)).Distinct().ToList();

    /// <summary>The image a containerised job runs in, with the registry written by <paramref name="variable"/> (the host's syntax for a variable).</summary>
    public string ImageFor(CiJob job, Func<string, string> variable)
        => JobImage is null || job.BuildsJobImage ? SdkImage : JobImage.Reference(variable);
}

/// <summary>
/// A job image built from a folder of the repository (its Dockerfile and what it copies) and pushed to the registry
/// that <see cref="RegistryVariable"/> names, as <c>&lt;registry&gt;/&lt;Repository&gt;:&lt;ContentTag&gt;</c>. The tag is a
/// hash of the folder, so the generated files change whenever the image's content does.
/// </summary>
public sealed record CiJobImage(string Repository, string RegistryVariable, string ContentTag)
{
    /// <summary>The secrets holding the registry's user and password, for hosts that pull the image with credentials of their own (Concourse).</summary>
    public string? UsernameVariable { get; init; }

    public string? PasswordVariable { get; init; }

    /// <summary>The reference with the registry written by <paramref name="variable"/>, e.g. <c>$DOCKER_REGISTRY/example-service-ci:3f2a…</c>.</summary>
    public string Reference(Func<string, string> variable) => $"{variable(RegistryVariable)}/{Repository}:{ContentTag}";

    /// <summary>
    /// The first 16 hex digits of a SHA-256 over every file under <paramref name="directory"/> (relative path and bytes,
    /// in ordinal path order), so line endings, renames and added files all count, and nothing else does.
    /// </summary>
    public static string ContentTagOf(AbsolutePath directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The job image folder {directory} does not exist: create it with a Dockerfile, or drop JobImage from the pipeline.");
        }

        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(file => (Relative: Path.GetRelativePath(directory, file).Replace('\\', '/'), Full: file))
            .OrderBy(file => file.Relative, StringComparer.Ordinal);
        foreach (var (relative, full) in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(relative + "\0"));
            hash.AppendData(File.ReadAllBytes(full));
            hash.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}

/// <summary>How a job ended badly, as CI systems tell their hooks: it failed, errored (Concourse: infrastructure), or was aborted.</summary>
public enum CiFailure
{
    Failed,
    Errored,
    Aborted,
}

/// <summary>The CI systems a pipeline is written for.</summary>
public enum CiSystem
{
    GitHubActions,
    GitLab,
    Concourse,
}

/// <summary>
/// One job of the pipeline: the targets it runs in a single build call, when it runs, where it deploys and what it
/// passes on. Jobs are written in declaration order; <see cref="Needs"/> orders them on every host.
/// </summary>
public sealed record CiJob
{
    /// <summary>Kebab-case id, used as job name on every host (<c>deploy-dev</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Human-readable name shown in the CI UI.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Targets invoked by the job's single build call.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>When true (default) the call passes <c>--skip</c>: targets done by earlier jobs are not run again.</summary>
    public bool SkipOtherTargets { get; init; } = true;

    /// <summary>Parameter profile (<c>--env</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>Jobs that must succeed first.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>Events that start the job. A job with none runs only when started by hand (see <see cref="Dispatch"/>).</summary>
    public IReadOnlyList<CiTrigger> Triggers { get; init; } = [];

    /// <summary>Deployment environment the job targets (one of <see cref="CiPipeline.Environments"/>).</summary>
    public string? Environment { get; init; }

    /// <summary>The job waits for a person: a protected environment on GitHub, <c>when: manual</c> on GitLab, no trigger on Concourse.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>Names of <see cref="CiPipeline.Secrets"/> passed to the job.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Plain environment variables for the job, sorted by name when written.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Artifacts this job writes and hands on.</summary>
    public IReadOnlyList<string> Produces { get; init; } = [];

    /// <summary>Artifacts of earlier jobs this job needs.</summary>
    public IReadOnlyList<string> Consumes { get; init; } = [];

    /// <summary>A newer pipeline for the same ref may cancel this job. False for jobs that change environments.</summary>
    public bool Interruptible { get; init; } = true;

    /// <summary>Run by hand for a chosen environment (rollback).</summary>
    public CiDispatch? Dispatch { get; init; }

    /// <summary>
    /// The job builds or runs containers: GitLab gets a Docker-in-Docker service, Concourse a privileged task (where the
    /// build provisions its own engine); GitHub's hosted runners have Docker already.
    /// </summary>
    public bool UsesDocker { get; init; }

    /// <summary>
    /// The job builds and pushes <see cref="CiPipeline.JobImage"/>, so it runs in <see cref="CiPipeline.SdkImage"/>, and
    /// every containerised job that runs in the job image lists it in <see cref="Needs"/>.
    /// </summary>
    public bool BuildsJobImage { get; init; }

    /// <summary>Run against a throwaway Kubernetes-in-Docker cluster (needs a Docker-capable runner).</summary>
    public CiKindCluster? KindCluster { get; init; }

    /// <summary>CI systems that get this job (all by default).</summary>
    public IReadOnlyList<CiSystem> Systems { get; init; } = Enum.GetValues<CiSystem>();

    /// <summary>Arguments of the job's build call, after the script.</summary>
    public IReadOnlyList<string> BuildArguments(string? profile = null)
    {
        var arguments = new List<string>(Targets);
        if ((profile ?? Profile) is { } env)
        {
            arguments.Add("--env");
            arguments.Add(env);
        }

        if (SkipOtherTargets)
        {
            arguments.Add("--skip");
        }

        return arguments;
    }
}

/// <summary>What starts a job: a pull request, a push to a branch, or a pushed tag.</summary>
public sealed record CiTrigger(CiTriggerKind Kind, string Pattern)
{
    public static CiTrigger PullRequests { get; } = new(CiTriggerKind.PullRequest, "*");

    /// <summary>A push to any branch (feature branches included).</summary>
    public static CiTrigger AnyBranch { get; } = new(CiTriggerKind.Branch, "*");

    public static CiTrigger Branch(string name) => new(CiTriggerKind.Branch, name);

    /// <summary>A pushed tag matching a glob prefix such as <c>v*</c>.</summary>
    public static CiTrigger Tag(string glob) => new(CiTriggerKind.Tag, glob);

    public bool IsLiteralBranch => Kind == CiTriggerKind.Branch && Pattern != "*";

    /// <summary>The glob as a regular expression anchored at both ends (<c>v*</c> → <c>^v.*$</c>).</summary>
    public string PatternRegex => "^" + System.Text.RegularExpressions.Regex.Escape(Pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
}

public enum CiTriggerKind
{
    PullRequest,
    Branch,
    Tag,
}

/// <summary>A deployment environment; <see cref="Protected"/> ones need an approval before a job may use them.</summary>
public sealed record CiEnvironment(string Name, bool Protected = false, string? Url = null);

/// <summary>A secret the CI system stores; jobs receive it as the environment variable <see cref="Name"/>.</summary>
public sealed record CiSecret(string Name, string Description)
{
    /// <summary>Every job receives it (a notification webhook), not only the jobs that list it.</summary>
    public bool ForEveryJob { get; init; }

    /// <summary>
    /// Each environment holds its own value (a deploy identity): a job acting on an environment receives only that
    /// environment's. GitHub and GitLab scope the one name by environment; Concourse names one variable per environment.
    /// </summary>
    public bool PerEnvironment { get; init; }

    /// <summary>The Concourse variable of the value for <paramref name="environment"/>: <c>kubeconfig-data-prod</c>.</summary>
    public string VariableNameFor(string? environment) => PerEnvironment && environment is not null ? $"{VariableName}-{environment}" : VariableName;

    /// <summary>The kebab-case name used where hosts name variables themselves (Concourse <c>((slack-webhook-url))</c>).</summary>
    public string VariableName => Name.ToLowerInvariant().Replace('_', '-');
}

/// <summary>
/// Files a job hands to later jobs. <see cref="Report"/> lets the CI system render <see cref="ReportPaths"/> (by default
/// <see cref="Paths"/>): JUnit test results, a Cobertura coverage file.
/// </summary>
public sealed record CiArtifact(string Name, IReadOnlyList<string> Paths, CiReportKind Report = CiReportKind.None)
{
    /// <summary>Upload even when the job failed (test results explain the failure).</summary>
    public bool UploadOnFailure { get; init; }

    /// <summary>The files inside <see cref="Paths"/> the CI system renders as <see cref="Report"/>; defaults to <see cref="Paths"/>.</summary>
    public IReadOnlyList<string>? ReportPaths { get; init; }

    public IReadOnlyList<string> EffectiveReportPaths => ReportPaths ?? Paths;

    /// <summary>
    /// The folder the artifact is restored into: the common root of its paths as upload tools strip it (a folder path
    /// ending in <c>/</c>, the folder of a single file, the folders before the first glob).
    /// </summary>
    public string Directory
    {
        get
        {
            var path = Paths[0];
            if (path.EndsWith('/'))
            {
                return path.TrimEnd('/');
            }

            var segments = path.Split('/');
            var glob = Array.FindIndex(segments, s => s.Contains('*', StringComparison.Ordinal));
            return string.Join('/', segments.Take(glob >= 0 ? glob : segments.Length - 1));
        }
    }
}

public enum CiReportKind
{
    None,
    JUnit,
    Cobertura,
}

/// <summary>A job started by hand for one of several environments, with optional text inputs passed as environment variables.</summary>
public sealed record CiDispatch(IReadOnlyList<string> Environments, IReadOnlyList<CiDispatchInput> Inputs);

/// <summary>A free-text input of a manually started job; an empty value means the build's default.</summary>
public sealed record CiDispatchInput(string Name, string EnvironmentVariable, string Description);

/// <summary>
/// A throwaway kind cluster for an end-to-end job, with a local registry next to it (<c>kind-registry:5000</c> by
/// default) that both the runner's Docker engine and the cluster's nodes reach: the job's single build call builds and
/// pushes the image there and deploys it to the cluster (the <c>kind</c> parameter profile names that registry).
/// </summary>
public sealed record CiKindCluster(string Name)
{
    public string RegistryName { get; init; } = "kind-registry";

    public int RegistryPort { get; init; } = 5000;

    public string Registry => $"{RegistryName}:{RegistryPort}";
}
