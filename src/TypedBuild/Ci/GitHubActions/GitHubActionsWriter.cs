using TypedBuild.Ci.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static TypedBuild.Ci.Yaml.YamlWriter;

namespace TypedBuild.Ci.GitHubActions;

/// <summary>
/// Writes <c>.github/workflows/ci.yml</c> (one job per pipeline job, ordered by <c>needs</c>, gated by <c>if:</c>
/// on the triggers) and one <c>workflow_dispatch</c> workflow per dispatched job (<c>rollback.yml</c>).
/// The engine writes the build summary to <c>GITHUB_STEP_SUMMARY</c> itself.
/// </summary>
public sealed class GitHubActionsWriter : ICiWriter
{
    public const string RunsOn = "ubuntu-latest";
    public const string Checkout = "actions/checkout@v4";
    public const string SetupDotnet = "actions/setup-dotnet@v4";
    public const string Cache = "actions/cache@v4";
    public const string UploadArtifact = "actions/upload-artifact@v4";
    public const string DownloadArtifact = "actions/download-artifact@v4";
    public const string KindAction = "helm/kind-action@v1";

    public CiSystem System => CiSystem.GitHubActions;

    /// <summary>
    /// The variable a job acting on a protected environment gets the job's token in: GitHub runs a job in an environment
    /// nobody protected without asking anyone, so the build reads the environment's protection rules with it.
    /// </summary>
    public const string TokenVariable = "GITHUB_TOKEN";

    public IReadOnlyList<GeneratedFile> Write(CiPipeline pipeline)
    {
        var jobs = pipeline.JobsFor(System).ToList();
        var files = new List<GeneratedFile>
        {
            new(".github/workflows/ci.yml", YamlWriter.Write(CiGenerator.Banner(pipeline), Workflow(pipeline, jobs.Where(j => j.Dispatch is null).ToList()))),
        };
        files.AddRange(jobs.Where(j => j.Dispatch is not null).Select(job =>
            new GeneratedFile($".github/workflows/{job.Id}.yml", YamlWriter.Write(CiGenerator.Banner(pipeline), DispatchWorkflow(pipeline, job)))));
        return files;
    }

    private static YamlMappingNode Workflow(CiPipeline pipeline, List<CiJob> jobs)
    {
        var triggers = jobs.SelectMany(j => j.Triggers).Distinct().ToList();
        return Map(
            ("name", Scalar(pipeline.Name)),
            ("on", Events(triggers)),
            ("concurrency", Map(
                ("group", Scalar("${{ github.workflow }}-${{ github.ref }}")),
                ("cancel-in-progress", Scalar("${{ github.event_name == 'pull_request' }}")))),
            ("permissions", Map(("contents", Scalar("read")))),
            ("env", WorkflowEnvironment(pipeline)),
            ("jobs", Map(jobs.Select(job => new KeyValuePair<string, YamlNode>(job.Id, Job(pipeline, job, triggers))))));
    }

    private static YamlMappingNode Events(List<CiTrigger> triggers)
    {
        var branches = triggers.Where(t => t.Kind == CiTriggerKind.Branch).Select(t => t.Pattern == "*" ? "**" : t.Pattern).ToList();
        var tags = triggers.Where(t => t.Kind == CiTriggerKind.Tag).Select(t => t.Pattern).ToList();
        if (branches.Contains("**"))
        {
            branches = ["**"];
        }

        YamlNode? push = null;
        if (branches.Count + tags.Count > 0)
        {
            push = Map(("branches", branches.Count == 0 ? null : Flow(branches)), ("tags", tags.Count == 0 ? null : Flow(tags)));
        }

        return Map(
            ("push", push),
            ("pull_request", triggers.Exists(t => t.Kind == CiTriggerKind.PullRequest) ? Map(("branches", Flow(["**"]))) : null));
    }

    private static YamlMappingNode WorkflowEnvironment(CiPipeline pipeline)
        => Map(new (string, YamlNode?)[]
            {
                ("DOTNET_CLI_TELEMETRY_OPTOUT", Quoted("true")),
                ("DOTNET_NOLOGO", Quoted("true")),
            }
            .Concat(pipeline.Secrets.Where(s => s.ForEveryJob).Select(s => (s.Name, (YamlNode?)SecretReference(s))))
            .ToArray());

    private static YamlMappingNode Job(CiPipeline pipeline, CiJob job, List<CiTrigger> workflowTriggers)
    {
        var environment = pipeline.Environment(job.Environment);
        var needs = pipeline.NeedsOn(CiSystem.GitHubActions, job);
        return Map(
            ("name", Scalar(job.DisplayName)),
            ("needs", needs.Count == 0 ? null : Flow(needs)),
            ("if", Condition(job, workflowTriggers)),
            ("runs-on", Scalar(RunsOn)),
            ("environment", environment is null ? null : Environment(environment.Name, environment.Url)),
            ("permissions", environment is { Protected: true } ? ProtectedPermissions() : null),
            ("concurrency", job.Interruptible ? null : Map(
                ("group", Scalar($"deploy-{job.Environment ?? job.Id}")),
                ("cancel-in-progress", Literal(false)))),
            ("env", JobEnvironment(pipeline, job with { Variables = WithToken(pipeline.VariablesFor(job), environment is { Protected: true }) }, includeEveryJobSecrets: false)),
            ("steps", Seq(Steps(pipeline, job, profile: null))));
    }

    private static YamlMappingNode DispatchWorkflow(CiPipeline pipeline, CiJob job)
    {
        var dispatch = job.Dispatch!;
        var inputs = new List<KeyValuePair<string, YamlNode>>
        {
            new("environment", Map(
                ("description", Scalar("Environment")),
                ("type", Scalar("choice")),
                ("required", Literal(true)),
                ("options", Seq(dispatch.Environments)))),
        };
        inputs.AddRange(dispatch.Inputs.Select(input => new KeyValuePair<string, YamlNode>(input.Name, Map(
            ("description", Scalar(input.Description)),
            ("type", Scalar("string")),
            ("required", Literal(false)),
            ("default", Quoted(""))))));
        var variables = dispatch.Inputs.ToDictionary(i => i.EnvironmentVariable, i => $"${{{{ inputs.{i.Name} }}}}");
        var protectedEnvironments = dispatch.Environments.Where(e => pipeline.Environment(e) is { Protected: true }).ToList();
        if (pipeline.ApprovalVariable is { } approval && protectedEnvironments.Count > 0)
        {
            // The run's environment is chosen at dispatch: the approval holds for the protected ones, behind their gate.
            variables[approval] = $"${{{{ {string.Join(" || ", protectedEnvironments.Select(e => $"inputs.environment == '{e}'"))} }}}}";
        }

        var dispatched = job with { Variables = WithToken(job.Variables.Concat(variables).ToDictionary(), protectedEnvironments.Count > 0) };

        return Map(
            ("name", Scalar(job.DisplayName)),
            ("on", Map(("workflow_dispatch", Map(("inputs", Map(inputs)))))),
            ("concurrency", Map(
                ("group", Scalar("deploy-${{ inputs.environment }}")),
                ("cancel-in-progress", Literal(false)))),
            ("permissions", Map(("contents", Scalar("read")))),
            ("env", WorkflowEnvironment(pipeline)),
            ("jobs", Map(
                (job.Id, Map(
                    ("name", Scalar($"{job.DisplayName} (${{{{ inputs.environment }}}})")),
                    ("runs-on", Scalar(RunsOn)),
                    ("environment", Scalar("${{ inputs.environment }}")),
                    ("permissions", protectedEnvironments.Count > 0 ? ProtectedPermissions() : null),
                    ("env", JobEnvironment(pipeline, dispatched, includeEveryJobSecrets: false)),
                    ("steps", Seq(Steps(pipeline, job, profile: "${{ inputs.environment }}"))))))));
    }

    /// <summary>Reading the environment's protection rules needs <c>actions: read</c> besides the checkout's <c>contents: read</c>.</summary>
    private static YamlMappingNode ProtectedPermissions() => Map(("actions", Scalar("read")), ("contents", Scalar("read")));

    private static IReadOnlyDictionary<string, string> WithToken(IReadOnlyDictionary<string, string> variables, bool actsOnProtectedEnvironment)
        => actsOnProtectedEnvironment ? variables.Append(new(TokenVariable, "${{ github.token }}")).ToDictionary() : variables;

    private static YamlMappingNode Environment(string name, string? url)
        => url is null ? Map(("name", Scalar(name))) : Map(("name", Scalar(name)), ("url", Scalar(url)));

    private static YamlMappingNode? JobEnvironment(CiPipeline pipeline, CiJob job, bool includeEveryJobSecrets)
    {
        var entries = pipeline.SecretsFor(job)
            .Where(s => includeEveryJobSecrets || !s.ForEveryJob)
            .Select(s => (s.Name, (YamlNode?)SecretReference(s)))
            .Concat(job.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, (YamlNode?)Quoted(v.Value))))
            .ToArray();
        return entries.Length == 0 ? null : Map(entries);
    }

    private static YamlScalarNode SecretReference(CiSecret secret) => Scalar($"${{{{ secrets.{secret.Name} }}}}");

    /// <summary>
    /// The <c>if:</c> of a job whose triggers are a subset of the workflow's; null when it runs for every event.
    /// Tag globs are prefixes (<c>v*</c>), as GitHub's own filters use them here.
    /// </summary>
    private static YamlScalarNode? Condition(CiJob job, List<CiTrigger> workflowTriggers)
    {
        if (workflowTriggers.TrueForAll(t => job.Triggers.Contains(t) || (t.IsLiteralBranch && job.Triggers.Contains(CiTrigger.AnyBranch))))
        {
            return null;
        }

        var terms = job.Triggers.Select(trigger => trigger switch
        {
            { Kind: CiTriggerKind.PullRequest } => "github.event_name == 'pull_request'",
            { Kind: CiTriggerKind.Branch, Pattern: "*" } => "(github.event_name == 'push' && startsWith(github.ref, 'refs/heads/'))",
            { Kind: CiTriggerKind.Branch } => $"github.ref == 'refs/heads/{trigger.Pattern}'",
            _ => $"startsWith(github.ref, 'refs/tags/{trigger.Pattern.TrimEnd('*')}')",
        });
        return Scalar($"${{{{ {string.Join(" || ", terms)} }}}}");
    }

    private static IEnumerable<YamlNode> Steps(CiPipeline pipeline, CiJob job, string? profile)
    {
        yield return Map(("uses", Scalar(Checkout)), ("with", Map(("fetch-depth", Literal(0)))));
        yield return Map(("uses", Scalar(SetupDotnet)), ("with", Map(("global-json-file", Scalar("global.json")))));
        yield return Map(
            ("name", Scalar("Cache NuGet packages")),
            ("uses", Scalar(Cache)),
            ("with", Map(
                ("path", Scalar("~/.nuget/packages")),
                ("key", Scalar("${{ runner.os }}-nuget-${{ hashFiles('global.json', '**/Directory.Packages.props', '**/*.csproj') }}")),
                ("restore-keys", Scalar("${{ runner.os }}-nuget-")))));

        foreach (var artifact in job.Consumes.Select(pipeline.Artifact))
        {
            yield return Map(
                ("name", Scalar($"Download {artifact.Name}")),
                ("uses", Scalar(DownloadArtifact)),
                ("with", Map(("name", Scalar(artifact.Name)), ("path", Scalar(artifact.Directory)))));
        }

        if (job.KindCluster is { } cluster)
        {
            yield return KindStep(cluster);
        }

        var command = BuildCommand(pipeline, job.BuildArguments(profile));
        yield return Map(("name", Scalar(command)), ("run", Scalar(command)));

        foreach (var step in UploadSteps(pipeline, job))
        {
            yield return step;
        }

        // A failure or a time-out the build could not announce itself (the runner stopped it, a step before it failed).
        var announce = pipeline.AnnounceFailureCall(CiFailure.Failed).SkipLast(1).Append("${{ job.status == 'cancelled' && 'aborted' || 'failed' }}");
        yield return Map(
            ("name", Scalar("Announce the failure")),
            ("if", Scalar("${{ failure() || cancelled() }}")),
            ("run", Scalar(string.Join(' ', announce))));
    }

    private static IEnumerable<YamlNode> UploadSteps(CiPipeline pipeline, CiJob job)
    {
        foreach (var artifact in job.Produces.Select(pipeline.Artifact))
        {
            yield return Map(
                ("name", Scalar($"Upload {artifact.Name}")),
                ("if", artifact.UploadOnFailure ? Scalar("${{ !cancelled() }}") : null),
                ("uses", Scalar(UploadArtifact)),
                ("with", Map(
                    ("name", Scalar(artifact.Name)),
                    ("path", artifact.Paths.Count == 1
                        ? Scalar(artifact.Paths[0])
                        : new YamlScalarNode(string.Join('\n', artifact.Paths) + "\n") { Style = ScalarStyle.Literal }),
                    ("if-no-files-found", Scalar(artifact.UploadOnFailure ? "warn" : "error")))));
        }
    }

    /// <summary>The kind cluster and its registry; the job's build call then builds, pushes and deploys against them.</summary>
    private static YamlMappingNode KindStep(CiKindCluster cluster)
        => Map(
            ("name", Scalar("Create kind cluster with a local registry")),
            ("uses", Scalar(KindAction)),
            ("with", Map(
                ("cluster_name", Scalar(cluster.Name)),
                ("registry", Quoted("true")),
                ("registry_name", Scalar(cluster.RegistryName)),
                ("registry_port", Quoted(cluster.RegistryPort.ToString(global::System.Globalization.CultureInfo.InvariantCulture))))));

    private static string BuildCommand(CiPipeline pipeline, IEnumerable<string> arguments)
        => string.Join(' ', new[] { pipeline.BuildScript }.Concat(arguments));
}
