using TypedBuild.Ci.Yaml;
using YamlDotNet.RepresentationModel;
using static TypedBuild.Ci.Yaml.YamlWriter;

namespace TypedBuild.Ci.Concourse;

/// <summary>
/// Writes <c>ci/concourse/pipeline.yml</c> and, when jobs run for every branch, <c>ci/concourse/branch.yml</c>.
/// Concourse has no branch conditions, so every literal branch and every tag pattern the jobs trigger on becomes a git
/// resource (a "line": <c>repo-develop</c>, <c>repo-main</c>, <c>release</c>), and each job is written once per line
/// it belongs to, linked to its needs by <c>passed:</c>. Jobs on approval have no trigger (started by hand), dispatched
/// jobs become one manual job per environment, and an <c>update-pipeline</c> job keeps the pipeline in sync with the
/// default branch through <c>set_pipeline: self</c>. Feature branches (those matching
/// <see cref="CiPipeline.FeatureBranchRegex"/>) get an instance of the branch pipeline each, set by a
/// <c>set-branch-pipelines</c> job from the git-branches resource (Concourse's multi-branch pattern).
/// Concourse passes no files between jobs, only between the steps of one job: a job that consumes artifacts runs the
/// jobs producing them as its first tasks (each in its own image, with its own privileges), which hand the checkout
/// with what they wrote on through their output; a producer whose artifacts some job of the line consumes is not a job
/// of its own there. Tasks learn their build number from the metadata resource, since Concourse gives a task no build metadata.
/// </summary>
public sealed class ConcourseWriter : ICiWriter
{
    public const string FilePath = "ci/concourse/pipeline.yml";
    public const string BranchFilePath = "ci/concourse/branch.yml";
    public const string UpdateJob = "update-pipeline";
    public const string SetBranchPipelinesJob = "set-branch-pipelines";
    public const string MetadataResource = "build-metadata";
    public const string BranchesResource = "feature-branches";

    /// <summary>Community resource types the pipelines use: build metadata for tasks, and the list of branches.</summary>
    public static IReadOnlyList<(string Name, string Repository)> ResourceTypes { get; } =
    [
        ("build-metadata", "swce/metadata-resource"),
        ("git-branches", "aoldershaw/git-branches-resource"),
    ];

    /// <summary>Variables the written pipelines themselves use, besides the pipeline's secrets.</summary>
    public static IReadOnlyList<(string Name, string Description)> BuiltInVariables { get; } =
    [
        ("git-uri", "Clone URL of the repository (ssh or https)"),
        ("git-private-key", "SSH key with read access to the repository"),
        ("concourse-team", "Team the pipeline is set in, for links to the build"),
    ];

    /// <summary>The instance variable of the branch pipeline.</summary>
    public const string BranchVariable = "branch";

    public CiSystem System => CiSystem.Concourse;

    /// <summary>Every <c>((var))</c> a pipeline file may use: the built-in ones and the pipeline's secrets.</summary>
    public static IReadOnlyList<string> DeclaredVariables(CiPipeline pipeline)
        => BuiltInVariables.Select(v => v.Name)
            .Concat(pipeline.Secrets.SelectMany(s => s.PerEnvironment ? pipeline.Environments.Select(e => s.VariableNameFor(e.Name)) : [s.VariableName]))
            .ToList();

    public IReadOnlyList<GeneratedFile> Write(CiPipeline pipeline)
    {
        var jobs = pipeline.JobsFor(System).ToList();
        var lines = Lines(pipeline, jobs);
        var branchJobs = jobs.Where(j => j.Dispatch is null && j.Triggers.Contains(CiTrigger.AnyBranch)).ToList();
        var written = lines.SelectMany(line => JobsOf(pipeline, jobs, line, lines)).ToList();
        var defaultLine = lines.First(l => l.Source == CiTrigger.Branch(pipeline.DefaultBranch));
        var pipelineJobs = new List<WrittenJob> { new(defaultLine, UpdateJob, UpdatePipelineJob(defaultLine)) };
        if (branchJobs.Count > 0)
        {
            pipelineJobs.Add(new WrittenJob(defaultLine, SetBranchPipelinesJob, SetBranchPipelines(pipeline, defaultLine)));
        }

        var resources = lines.Select(GitResource).Append(MetadataResourceNode()).ToList();
        if (branchJobs.Count > 0)
        {
            resources.Add(Map(
                ("name", Scalar(BranchesResource)),
                ("type", Scalar("git-branches")),
                ("icon", Scalar("source-branch")),
                ("source", Map(
                    ("uri", Scalar("((git-uri))")),
                    ("private_key", Scalar("((git-private-key))")),
                    ("branch_regex", Scalar(pipeline.FeatureBranchRegex))))));
        }

        var root = Map(
            ("resource_types", ResourceTypesNode(branchJobs.Count > 0)),
            ("resources", Seq(resources)),
            ("groups", Seq(lines
                .Select(line => Map(("name", Scalar(line.Group)), ("jobs", Seq(written.Where(w => w.Owner == line).Select(w => w.Name)))))
                .Append(Map(("name", Scalar("pipeline")), ("jobs", Seq(pipelineJobs.Select(j => j.Name))))))),
            ("jobs", Seq(written.Concat(pipelineJobs).Select(w => w.Node))));
        var files = new List<GeneratedFile> { new(FilePath, YamlWriter.Write(CiGenerator.Banner(pipeline), root)) };
        if (branchJobs.Count > 0)
        {
            files.Add(new GeneratedFile(BranchFilePath, YamlWriter.Write(CiGenerator.Banner(pipeline), BranchPipeline(pipeline, branchJobs))));
        }

        return files;
    }

    /// <summary>A git resource and the jobs that run for its versions.</summary>
    private sealed record Line(string Resource, string Group, CiTrigger Source)
    {
        public bool Runs(CiJob job) => job.Triggers.Any(t => t == Source || (t == CiTrigger.AnyBranch && Source.Kind == CiTriggerKind.Branch));

        /// <summary>The value of <c>CONCOURSE_BRANCH</c>: the branch, or the instance variable of the branch pipeline.</summary>
        public string BranchValue => Source.Pattern == "*" ? $"(({BranchVariable}))" : Source.Pattern;
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
            .Select(source => new Line("repo-" + source.Pattern.Replace('/', '-'), source.Pattern.Replace('/', '-'), source));
        var tags = sources.Where(s => s.Kind == CiTriggerKind.Tag).ToList();
        var releases = tags.Select((source, index) => tags.Count == 1 ? new Line("release", "release", source) : new Line($"release-{index + 1}", $"release-{index + 1}", source));
        return branches.Concat(releases).ToList();
    }

    private static IEnumerable<WrittenJob> JobsOf(CiPipeline pipeline, List<CiJob> jobs, Line line, List<Line> lines)
    {
        string NameIn(CiJob job) => lines.Count(l => l.Runs(job)) > 1 ? $"{job.Id}-{line.Group}" : job.Id;

        var ownJobs = jobs.Where(j => j.Dispatch is null && line.Runs(j)).ToList();
        foreach (var job in ownJobs.Where(j => !IsRunByItsConsumers(pipeline, j, ownJobs)))
        {
            var passed = Passed(pipeline, job, ownJobs).Select(NameIn).ToList();
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

    /// <summary>A job that produces what a job of <paramref name="jobs"/> consumes runs as a task of that consumer.</summary>
    private static bool IsRunByItsConsumers(CiPipeline pipeline, CiJob job, List<CiJob> jobs)
        => jobs.Exists(consumer => consumer != job && Producers(pipeline, consumer).Contains(job));

    /// <summary>
    /// The jobs of <paramref name="jobs"/> that must have passed before <paramref name="job"/>: the needs of its tasks
    /// outside its own tasks, each replaced by the jobs running it where it is a task of its consumers.
    /// </summary>
    private static IEnumerable<CiJob> Passed(CiPipeline pipeline, CiJob job, List<CiJob> jobs)
    {
        var tasks = Tasks(pipeline, job);
        return tasks.SelectMany(task => pipeline.NeedsOn(CiSystem.Concourse, task)).Select(pipeline.Job)
            .Where(need => !tasks.Contains(need) && jobs.Contains(need))
            .SelectMany(need => IsRunByItsConsumers(pipeline, need, jobs) ? RunnersOf(need) : [need])
            .Distinct();

        IEnumerable<CiJob> RunnersOf(CiJob task) => jobs.Where(j => !IsRunByItsConsumers(pipeline, j, jobs) && Tasks(pipeline, j).Contains(task));
    }

    /// <summary>The jobs whose build call a Concourse job runs, in order: the producers of what it consumes (theirs first), then itself.</summary>
    private static List<CiJob> Tasks(CiPipeline pipeline, CiJob job)
        => Producers(pipeline, job).SelectMany(producer => Tasks(pipeline, producer)).Append(job).Distinct().ToList();

    private static YamlMappingNode Job(CiPipeline pipeline, CiJob job, string name, Line line, List<string> passed, string? profile, bool trigger)
    {
        var plan = new List<YamlNode>
        {
            Map(
                ("get", Scalar(line.Resource)),
                ("trigger", trigger ? Literal(true) : null),
                ("passed", passed.Count == 0 ? null : Seq(passed))),
            Map(("get", Scalar(MetadataResource))),
            LoadVar("build-name", $"{MetadataResource}/build-name"),
            LoadVar("atc-external-url", $"{MetadataResource}/atc-external-url"),
        };
        if (line.Source.Kind == CiTriggerKind.Tag)
        {
            // The git resource writes the fetched tag name to .git/ref; the build reads it from CONCOURSE_TAG.
            plan.Add(LoadVar("tag", $"{line.Resource}/.git/ref"));
        }

        // The job's own call is the task "build"; the producers it runs first are tasks named after their jobs.
        plan.AddRange(Tasks(pipeline, job).Select(task => Map(
            ("task", Scalar(task == job ? "build" : task.Id)),
            ("privileged", task.UsesDocker ? Literal(true) : null),
            ("config", TaskConfig(pipeline, task, name, line, task == job ? profile : task.Profile, failure: null)))));
        return Map(
            ("name", Scalar(name)),
            ("serial", job.Interruptible ? null : Literal(true)),
            ("plan", Seq(plan)),
            ("on_failure", AnnounceFailure(pipeline, job, name, line, CiFailure.Failed)),
            ("on_error", AnnounceFailure(pipeline, job, name, line, CiFailure.Errored)),
            ("on_abort", AnnounceFailure(pipeline, job, name, line, CiFailure.Aborted)));
    }

    /// <summary>
    /// The job's hook for an end the build could not announce itself (an errored or aborted build, a failed get). It runs
    /// in the SDK image (the job image may be what failed) on the build task's output of the checkout, which holds the
    /// marker of a build that announced its failure already.
    /// </summary>
    private static YamlMappingNode AnnounceFailure(CiPipeline pipeline, CiJob job, string name, Line line, CiFailure failure)
        => Map(
            ("task", Scalar("announce-failure")),
            ("config", TaskConfig(pipeline, job, name, line, job.Profile, failure)));

    private static YamlMappingNode LoadVar(string name, string file)
        => Map(("load_var", Scalar(name)), ("file", Scalar(file)), ("format", Scalar("trim")));

    /// <summary>The build task's configuration, or with <paramref name="failure"/> the one of its failure hook.</summary>
    private static YamlMappingNode TaskConfig(CiPipeline pipeline, CiJob job, string name, Line line, string? profile, CiFailure? failure)
    {
        var image = failure is null ? pipeline.ImageFor(job, name => Variable(pipeline, name)) : pipeline.SdkImage;
        var (repository, tag) = SplitImage(image);
        var credentials = job.BuildsJobImage || failure is not null ? null : pipeline.JobImage;
        var parameters = new List<(string, YamlNode?)>
        {
            ("CONCOURSE_CI", Quoted("true")),
            ("CONCOURSE_URL", Scalar("((.:atc-external-url))")),
            ("CONCOURSE_TEAM", Scalar("((concourse-team))")),
            ("CONCOURSE_PIPELINE", Scalar(line.Source.Pattern == "*" ? BranchPipelineName(pipeline) : pipeline.Name)),
            ("CONCOURSE_JOB", Scalar(name)),
            ("CONCOURSE_BUILD_NAME", Scalar("((.:build-name))")),
            line.Source.Kind == CiTriggerKind.Tag ? ("CONCOURSE_TAG", Scalar("((.:tag))")) : ("CONCOURSE_BRANCH", Scalar(line.BranchValue)),
            ("DOTNET_CLI_TELEMETRY_OPTOUT", Quoted("true")),
            ("DOTNET_NOLOGO", Quoted("true")),
        };
        parameters.AddRange(pipeline.SecretsFor(job)
            .Select(s => (s.Name, (YamlNode?)Scalar($"(({s.VariableNameFor(job.Environment ?? (job.Dispatch is null ? null : profile))}))"))));
        parameters.AddRange(pipeline.VariablesFor(job, job.Dispatch is null ? null : profile).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, (YamlNode?)Quoted(v.Value))));

        return Map(
            ("platform", Scalar("linux")),
            ("image_resource", Map(
                ("type", Scalar("registry-image")),
                ("source", Map(
                    ("repository", Scalar(repository)),
                    ("tag", Quoted(tag)),
                    ("username", credentials?.UsernameVariable is { } username ? Scalar(Variable(pipeline, username)) : null),
                    ("password", credentials?.PasswordVariable is { } password ? Scalar(Variable(pipeline, password)) : null))))),
            ("inputs", Seq(Map(("name", Scalar(line.Resource))))),
            // An output of the input's name hands the checkout, with what the build wrote under artifacts/, to the hooks.
            ("outputs", failure is null ? Seq(Map(("name", Scalar(line.Resource)))) : null),
            ("params", Map(parameters.ToArray())),
            ("run", Map(
                ("path", Scalar(pipeline.BuildScript)),
                ("args", Flow(failure is { } kind ? pipeline.AnnounceFailureCall(kind).Skip(1) : job.BuildArguments(profile))),
                ("dir", Scalar(line.Resource)))));
    }

    /// <summary>How a pipeline file names one of the pipeline's secrets: <c>DOCKER_REGISTRY</c> → <c>((docker-registry))</c>.</summary>
    private static string Variable(CiPipeline pipeline, string secret) => $"(({pipeline.Secret(secret).VariableName}))";

    /// <summary>The jobs producing the artifacts a job consumes.</summary>
    private static List<CiJob> Producers(CiPipeline pipeline, CiJob job)
        => pipeline.Jobs.Where(j => j != job && j.Produces.Any(job.Consumes.Contains)).ToList();

    private static YamlMappingNode UpdatePipelineJob(Line source)
        => Map(
            ("name", Scalar(UpdateJob)),
            ("plan", Seq(
                Map(("get", Scalar(source.Resource)), ("trigger", Literal(true))),
                Map(("set_pipeline", Scalar("self")), ("file", Scalar($"{source.Resource}/{FilePath}"))))));

    /// <summary>One instance of the branch pipeline per feature branch, taken from the default branch's definition.</summary>
    private static YamlMappingNode SetBranchPipelines(CiPipeline pipeline, Line source)
        => Map(
            ("name", Scalar(SetBranchPipelinesJob)),
            ("plan", Seq(
                Map(("get", Scalar(BranchesResource)), ("trigger", Literal(true))),
                Map(("get", Scalar(source.Resource))),
                Map(("load_var", Scalar("branches")), ("file", Scalar($"{BranchesResource}/branches.json"))),
                Map(
                    ("across", Seq(Map(("var", Scalar("feature")), ("values", Scalar("((.:branches))"))))),
                    ("set_pipeline", Scalar(BranchPipelineName(pipeline))),
                    ("file", Scalar($"{source.Resource}/{BranchFilePath}")),
                    ("instance_vars", Map((BranchVariable, Scalar("((.:feature.name))"))))))));

    private static string BranchPipelineName(CiPipeline pipeline) => pipeline.Name + "-branch";

    /// <summary>The jobs that run for every branch, for the one branch given as the <c>((branch))</c> instance variable.</summary>
    private static YamlMappingNode BranchPipeline(CiPipeline pipeline, List<CiJob> jobs)
    {
        var line = new Line("repo", "branch", CiTrigger.AnyBranch);
        var written = jobs.Where(job => !IsRunByItsConsumers(pipeline, job, jobs)).Select(job => Job(
            pipeline,
            job,
            job.Id,
            line,
            Passed(pipeline, job, jobs).Select(j => j.Id).ToList(),
            job.Profile,
            trigger: !job.RequiresApproval)).ToList();
        return Map(
            ("resource_types", ResourceTypesNode(includeBranches: false)),
            ("resources", Seq(
                Map(
                    ("name", Scalar(line.Resource)),
                    ("type", Scalar("git")),
                    ("icon", Scalar("source-branch")),
                    ("source", Map(
                        ("uri", Scalar("((git-uri))")),
                        ("private_key", Scalar("((git-private-key))")),
                        ("branch", Scalar($"(({BranchVariable}))"))))),
                MetadataResourceNode())),
            ("jobs", Seq(written)));
    }

    private static YamlSequenceNode ResourceTypesNode(bool includeBranches)
        => Seq(ResourceTypes
            .Where(t => includeBranches || t.Name != "git-branches")
            .Select(t => (YamlNode)Map(
                ("name", Scalar(t.Name)),
                ("type", Scalar("registry-image")),
                ("source", Map(("repository", Scalar(t.Repository)))))));

    private static YamlMappingNode MetadataResourceNode()
        => Map(("name", Scalar(MetadataResource)), ("type", Scalar("build-metadata")), ("icon", Scalar("information-outline")));

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
