using TypedBuild.Ci.Yaml;
using YamlDotNet.RepresentationModel;
using static TypedBuild.Ci.Yaml.YamlWriter;

namespace TypedBuild.Ci.Concourse;

/// <summary>
/// Writes <c>ci/concourse/pipeline.yml</c>. Concourse has no branch conditions, so every literal branch and every tag
/// pattern the jobs trigger on becomes a git resource (a "line": <c>repo-develop</c>, <c>repo-main</c>,
/// <c>release</c>), and each job is written once per line it belongs to, linked to its needs by <c>passed:</c>.
/// Jobs on approval have no trigger (started by hand), dispatched jobs become one manual job per environment, and an
/// <c>update-pipeline</c> job keeps the pipeline in sync with the default branch through <c>set_pipeline: self</c>.
/// Concourse passes no files between jobs, so a job that consumes artifacts also runs the targets that produce them.
/// Pull-request and any-branch triggers need a community resource type and are left to other CI systems.
/// </summary>
public sealed class ConcourseWriter : ICiWriter
{
    public const string FilePath = "ci/concourse/pipeline.yml";
    public const string UpdateJob = "update-pipeline";

    /// <summary>Variables the written pipeline itself uses, besides the pipeline's secrets.</summary>
    public static IReadOnlyList<(string Name, string Description)> BuiltInVariables { get; } =
    [
        ("git-uri", "Clone URL of the repository (ssh or https)"),
        ("git-private-key", "SSH key with read access to the repository"),
        ("concourse-url", "External URL of the Concourse web node, for links to the build"),
        ("concourse-team", "Team the pipeline is set in"),
    ];

    public CiSystem System => CiSystem.Concourse;

    /// <summary>Every <c>((var))</c> the pipeline may use: the built-in ones and the pipeline's secrets.</summary>
    public static IReadOnlyList<string> DeclaredVariables(CiPipeline pipeline)
        => BuiltInVariables.Select(v => v.Name).Concat(pipeline.Secrets.Select(s => s.VariableName)).ToList();

    public IReadOnlyList<GeneratedFile> Write(CiPipeline pipeline)
    {
        var jobs = pipeline.JobsFor(System).ToList();
        var lines = Lines(pipeline, jobs);
        var written = lines.SelectMany(line => JobsOf(pipeline, jobs, line, lines)).ToList();
        var update = UpdatePipelineJob(pipeline, lines);

        var root = Map(
            ("resources", Seq(lines.Select(GitResource))),
            ("groups", Seq(lines
                .Select(line => Map(("name", Scalar(line.Group)), ("jobs", Seq(written.Where(w => w.Owner == line).Select(w => w.Name)))))
                .Append(Map(("name", Scalar("pipeline")), ("jobs", Seq(UpdateJob)))))),
            ("jobs", Seq(written.Select(w => w.Node).Append(update))));
        return [new GeneratedFile(FilePath, YamlWriter.Write(CiGenerator.Banner(pipeline), root))];
    }

    /// <summary>A git resource and the jobs that run for its versions.</summary>
    private sealed record Line(string Resource, string Group, CiTrigger Source)
    {
        public bool Runs(CiJob job) => job.Triggers.Any(t => t == Source || (t == CiTrigger.AnyBranch && Source.IsLiteralBranch));
    }

    private sealed record WrittenJob(Line Owner, string Name, YamlNode Node);

    private static List<Line> Lines(CiPipeline pipeline, List<CiJob> jobs)
    {
        var sources = jobs.SelectMany(j => j.Triggers).Where(t => t.IsLiteralBranch || t.Kind == CiTriggerKind.Tag).Distinct().ToList();
        if (!sources.Contains(CiTrigger.Branch(pipeline.DefaultBranch)))
        {
            sources.Insert(0, CiTrigger.Branch(pipeline.DefaultBranch));
        }

        var branches = sources.Where(s => s.Kind == CiTriggerKind.Branch)
            .Select(s => s.Pattern.Replace('/', '-'))
            .Select((name, index) => new Line("repo-" + name, name, sources.Where(s => s.Kind == CiTriggerKind.Branch).ElementAt(index)));
        var tags = sources.Where(s => s.Kind == CiTriggerKind.Tag).ToList();
        var releases = tags.Select((source, index) => tags.Count == 1 ? new Line("release", "release", source) : new Line($"release-{index + 1}", $"release-{index + 1}", source));
        return branches.Concat(releases).ToList();
    }

    private static IEnumerable<WrittenJob> JobsOf(CiPipeline pipeline, List<CiJob> jobs, Line line, List<Line> lines)
    {
        string NameIn(CiJob job) => lines.Count(l => l.Runs(job)) > 1 ? $"{job.Id}-{line.Group}" : job.Id;

        foreach (var job in jobs.Where(j => j.Dispatch is null && line.Runs(j)))
        {
            var passed = job.Needs.Select(pipeline.Job).Where(line.Runs).Select(NameIn).ToList();
            yield return new WrittenJob(line, NameIn(job), Job(pipeline, job, NameIn(job), line, passed, job.Profile, trigger: !job.RequiresApproval));
        }

        // Dispatched jobs (rollback): one manual job per environment deployed from this line.
        foreach (var job in jobs.Where(j => j.Dispatch is not null))
        {
            foreach (var environment in job.Dispatch!.Environments.Where(e => jobs.Exists(d => d.Environment == e && line.Runs(d))))
            {
                var name = $"{job.Id}-{environment}";
                yield return new WrittenJob(line, name, Job(pipeline, job, name, line, passed: [], environment, trigger: false));
            }
        }
    }

    private static YamlMappingNode Job(CiPipeline pipeline, CiJob job, string name, Line line, List<string> passed, string? profile, bool trigger)
    {
        var isTag = line.Source.Kind == CiTriggerKind.Tag;
        var get = Map(
            ("get", Scalar(line.Resource)),
            ("trigger", trigger ? Literal(true) : null),
            ("passed", passed.Count == 0 ? null : Seq(passed)));
        var plan = new List<YamlNode> { get };
        if (isTag)
        {
            // The git resource writes the fetched tag name to .git/ref; the build reads it from CONCOURSE_TAG.
            plan.Add(Map(("load_var", Scalar("tag")), ("file", Scalar($"{line.Resource}/.git/ref")), ("format", Scalar("trim"))));
        }

        plan.Add(Map(("task", Scalar("build")), ("config", TaskConfig(pipeline, job, name, line, profile))));
        return Map(
            ("name", Scalar(name)),
            ("serial", job.Interruptible ? null : Literal(true)),
            ("plan", Seq(plan)));
    }

    private static YamlMappingNode TaskConfig(CiPipeline pipeline, CiJob job, string name, Line line, string? profile)
    {
        var (repository, tag) = SplitImage(pipeline.SdkImage);
        var parameters = new List<(string, YamlNode?)>
        {
            ("CONCOURSE_CI", Quoted("true")),
            ("CONCOURSE_URL", Scalar("((concourse-url))")),
            ("CONCOURSE_TEAM", Scalar("((concourse-team))")),
            ("CONCOURSE_PIPELINE", Scalar(pipeline.Name)),
            ("CONCOURSE_JOB", Scalar(name)),
            line.Source.Kind == CiTriggerKind.Tag ? ("CONCOURSE_TAG", Scalar("((.:tag))")) : ("CONCOURSE_BRANCH", Scalar(line.Source.Pattern)),
            ("DOTNET_CLI_TELEMETRY_OPTOUT", Quoted("true")),
            ("DOTNET_NOLOGO", Quoted("true")),
        };
        parameters.AddRange(pipeline.SecretsFor(job).Select(s => (s.Name, (YamlNode?)Scalar($"(({s.VariableName}))"))));
        parameters.AddRange(job.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, (YamlNode?)Quoted(v.Value))));

        return Map(
            ("platform", Scalar("linux")),
            ("image_resource", Map(
                ("type", Scalar("registry-image")),
                ("source", Map(("repository", Scalar(repository)), ("tag", Quoted(tag)))))),
            ("inputs", Seq(Map(("name", Scalar(line.Resource))))),
            ("params", Map(parameters.ToArray())),
            ("run", Map(
                ("path", Scalar(pipeline.BuildScript)),
                ("args", Flow(Arguments(pipeline, job, profile))),
                ("dir", Scalar(line.Resource)))));
    }

    /// <summary>The job's targets, preceded by those of the jobs producing what it consumes (Concourse passes no files between jobs).</summary>
    private static IReadOnlyList<string> Arguments(CiPipeline pipeline, CiJob job, string? profile)
    {
        var producers = pipeline.Jobs.Where(j => j.Produces.Any(job.Consumes.Contains)).SelectMany(j => j.Targets);
        var targets = producers.Concat(job.Targets).Distinct().ToList();
        return (job with { Targets = targets }).BuildArguments(profile);
    }

    private static YamlMappingNode UpdatePipelineJob(CiPipeline pipeline, List<Line> lines)
    {
        var source = lines.First(l => l.Source == CiTrigger.Branch(pipeline.DefaultBranch));
        return Map(
            ("name", Scalar(UpdateJob)),
            ("plan", Seq(
                Map(("get", Scalar(source.Resource)), ("trigger", Literal(true))),
                Map(("set_pipeline", Scalar("self")), ("file", Scalar($"{source.Resource}/{FilePath}"))))));
    }

    private static YamlMappingNode GitResource(Line line)
        => Map(
            ("name", Scalar(line.Resource)),
            ("type", Scalar("git")),
            ("icon", Scalar(line.Source.Kind == CiTriggerKind.Tag ? "tag" : "source-branch")),
            ("source", Map(
                ("uri", Scalar("((git-uri))")),
                ("private_key", Scalar("((git-private-key))")),
                ("branch", line.Source.Kind == CiTriggerKind.Branch ? Scalar(line.Source.Pattern) : null),
                ("tag_regex", line.Source.Kind == CiTriggerKind.Tag ? Scalar(line.Source.PatternRegex) : null))));

    private static (string Repository, string Tag) SplitImage(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
