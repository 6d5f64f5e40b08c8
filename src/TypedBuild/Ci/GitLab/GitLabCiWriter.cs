using TypedBuild.Ci.Yaml;
using YamlDotNet.RepresentationModel;
using static TypedBuild.Ci.Yaml.YamlWriter;

namespace TypedBuild.Ci.GitLab;

/// <summary>
/// Writes <c>.gitlab-ci.yml</c>: one stage per job, <c>rules</c> from the triggers, <c>needs</c> that fetch exactly the
/// artifacts a job consumes, JUnit and Cobertura reports, the coverage regex, environments, manual approval jobs and
/// one manual job per environment for dispatched jobs. Secrets are CI/CD variables GitLab passes to every job.
/// Jobs run in the pipeline's job image; those that use Docker go to a runner tagged <see cref="DockerRunnerTag"/>,
/// which binds the host's engine socket into the job and shares the host's network, so the engine reaches what a job
/// starts on loopback (a registry, PostgreSQL) and the job needs no privileges.
/// </summary>
public sealed class GitLabCiWriter : ICiWriter
{
    /// <summary>The runner tag of jobs that use Docker: a docker executor with the engine's socket and host networking.</summary>
    public const string DockerRunnerTag = "docker-socket";

    /// <summary>The job in GitLab's last stage that announces a failure no build could (a runner lost, a job timed out).</summary>
    public const string AnnounceFailureJob = "announce-failure";

    /// <summary>How a GitLab file names a CI/CD variable.</summary>
    public static string Variable(string name) => "$" + name;

    public CiSystem System => CiSystem.GitLab;

    public IReadOnlyList<GeneratedFile> Write(CiPipeline pipeline)
    {
        var jobs = pipeline.JobsFor(System).SelectMany(job => Expand(pipeline, job)).ToList();
        var root = Map(
            new (string, YamlNode?)[]
            {
                ("workflow", Map(("rules", Seq(
                    Map(("if", Scalar("$CI_PIPELINE_SOURCE == \"merge_request_event\""))),
                    Map(("if", Scalar("$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS")), ("when", Scalar("never"))),
                    Map(("if", Scalar("$CI_COMMIT_BRANCH"))),
                    Map(("if", Scalar("$CI_COMMIT_TAG"))))))),
                ("stages", Seq(jobs.Select(j => j.Stage).Distinct())),
                ("default", Map(
                    ("image", Scalar(pipeline.JobImage is { } image ? image.Reference(Variable) : pipeline.SdkImage)),
                    ("interruptible", Literal(true)),
                    ("cache", Map(
                        ("key", Map(("files", Seq("global.json", "Directory.Packages.props")))),
                        ("paths", Seq(".nuget/packages/")))))),
                ("variables", Map(
                    ("DOTNET_CLI_TELEMETRY_OPTOUT", Quoted("true")),
                    ("DOTNET_NOLOGO", Quoted("true")),
                    ("GIT_DEPTH", Quoted("0")),
                    ("NUGET_PACKAGES", Scalar("$CI_PROJECT_DIR/.nuget/packages")))),
            }
            .Concat(jobs.Select(j => (j.Id, (YamlNode?)Job(pipeline, j))))
            .Append((AnnounceFailureJob, AnnounceFailure(pipeline)))
            .ToArray());
        return [new GeneratedFile(".gitlab-ci.yml", YamlWriter.Write(CiGenerator.Banner(pipeline), root))];
    }

    /// <summary>A GitLab job: a pipeline job, or one environment of a dispatched job.</summary>
    private sealed record GitLabJob(string Id, string Stage, CiJob Source, string? EnvironmentName, IReadOnlyList<CiTrigger> Triggers, bool Manual);

    private static IEnumerable<GitLabJob> Expand(CiPipeline pipeline, CiJob job)
    {
        if (job.Dispatch is null)
        {
            return [new GitLabJob(job.Id, job.Id, job, job.Environment, job.Triggers, job.RequiresApproval)];
        }

        // A rollback is offered in the pipelines of the refs that deploy to that environment.
        return job.Dispatch.Environments.Select(environment =>
        {
            var deployTriggers = pipeline.Jobs.Where(j => j.Environment == environment).SelectMany(j => j.Triggers).Distinct().ToList();
            var triggers = deployTriggers.Count > 0 ? deployTriggers : [CiTrigger.Branch(pipeline.DefaultBranch)];
            return new GitLabJob($"{job.Id}-{environment}", job.Id, job, environment, triggers, Manual: true);
        });
    }

    private static YamlMappingNode Job(CiPipeline pipeline, GitLabJob gitLabJob)
    {
        var job = gitLabJob.Source;
        var produced = job.Produces.Select(pipeline.Artifact).ToList();
        var environment = pipeline.Environment(gitLabJob.EnvironmentName);
        return Map(
            ("stage", Scalar(gitLabJob.Stage)),
            ("image", job.BuildsJobImage ? Scalar(pipeline.SdkImage) : null),
            ("tags", job.UsesDocker ? Seq(DockerRunnerTag) : null),
            ("needs", Needs(pipeline, job)),
            ("rules", Seq(gitLabJob.Triggers.Select(t => Rule(t, gitLabJob.Manual)))),
            ("allow_failure", gitLabJob.Manual ? Literal(job.Dispatch is not null) : null),
            ("interruptible", job.Interruptible ? null : Literal(false)),
            ("resource_group", environment is null ? null : Scalar($"deploy-{environment.Name}")),
            ("environment", environment is null ? null : Environment(environment)),
            ("variables", Variables(pipeline.VariablesFor(job, gitLabJob.EnvironmentName))),
            ("script", Seq(string.Join(' ', new[] { pipeline.BuildScript }.Concat(job.BuildArguments(job.Dispatch is null ? null : gitLabJob.EnvironmentName))))),
            ("coverage", pipeline.CoverageRegex is { } regex && produced.Exists(a => a.Report == CiReportKind.Cobertura) ? Scalar($"/{regex}/") : null),
            ("artifacts", Artifacts(produced)));
    }

    /// <summary>
    /// Runs after any failed job, in the SDK image (the job image may be what failed), with the artifacts of every
    /// earlier job: among them the marker of a build that announced its failure already.
    /// </summary>
    private static YamlMappingNode AnnounceFailure(CiPipeline pipeline)
        => Map(
            ("stage", Scalar(".post")),
            ("image", Scalar(pipeline.SdkImage)),
            ("when", Scalar("on_failure")),
            ("interruptible", Literal(false)),
            ("script", Seq(string.Join(' ', pipeline.AnnounceFailureCall(CiFailure.Failed)))));

    private static YamlSequenceNode Needs(CiPipeline pipeline, CiJob job)
    {
        // needs: fetches artifacts only from the jobs it lists, so producers of consumed artifacts are listed too.
        var earlier = pipeline.Jobs.TakeWhile(j => j != job).ToList();
        var producers = job.Consumes.Select(a => earlier.Last(j => j.Produces.Contains(a)).Id);
        var needed = pipeline.NeedsOn(CiSystem.GitLab, job).Concat(producers).Distinct().ToList();
        return Seq(needed.Select(id => (YamlNode)Map(
            ("job", Scalar(id)),
            ("artifacts", Literal(pipeline.Job(id).Produces.Any(job.Consumes.Contains))))));
    }

    private static YamlMappingNode Rule(CiTrigger trigger, bool manual)
    {
        var condition = trigger switch
        {
            { Kind: CiTriggerKind.PullRequest } => "$CI_PIPELINE_SOURCE == \"merge_request_event\"",
            { Kind: CiTriggerKind.Branch, Pattern: "*" } => "$CI_COMMIT_BRANCH",
            { Kind: CiTriggerKind.Branch } => $"$CI_COMMIT_BRANCH == \"{trigger.Pattern}\"",
            _ => $"$CI_COMMIT_TAG =~ /{trigger.PatternRegex}/",
        };
        return Map(("if", Scalar(condition)), ("when", manual ? Scalar("manual") : null));
    }

    private static YamlMappingNode Environment(CiEnvironment environment)
        => Map(
            ("name", Scalar(environment.Name)),
            ("url", environment.Url is null ? null : Scalar(environment.Url)),
            ("deployment_tier", Scalar(environment.Name switch
            {
                "prod" or "production" => "production",
                "staging" => "staging",
                "dev" or "development" => "development",
                _ => "other",
            })));

    private static YamlMappingNode? Variables(IReadOnlyDictionary<string, string> variables)
    {
        var sorted = variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, (YamlNode?)Quoted(v.Value))).ToArray();
        return sorted.Length == 0 ? null : Map(sorted);
    }

    /// <summary>The job's artifacts and, whatever the job's outcome, the failure marker for <see cref="AnnounceFailureJob"/>.</summary>
    private static YamlMappingNode Artifacts(List<CiArtifact> artifacts)
    {
        var junit = artifacts.Where(a => a.Report == CiReportKind.JUnit).SelectMany(a => a.EffectiveReportPaths).ToList();
        var cobertura = artifacts.Find(a => a.Report == CiReportKind.Cobertura);
        var reports = Map(
            ("junit", junit.Count == 0 ? null : Seq(junit)),
            ("coverage_report", cobertura is null ? null : Map(
                ("coverage_format", Scalar("cobertura")),
                ("path", Scalar(cobertura.EffectiveReportPaths[0])))));
        return Map(
            ("when", Scalar("always")),
            ("expire_in", Scalar("1 week")),
            ("paths", Seq(artifacts.SelectMany(a => a.Paths).Append(CiPipeline.FailureMarkerPath).Distinct())),
            ("reports", reports.Children.Count == 0 ? null : reports));
    }
}
