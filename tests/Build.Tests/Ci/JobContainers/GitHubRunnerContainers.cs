using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Processes;
using YamlDotNet.RepresentationModel;
using static Build.Tests.Ci.JobContainers.PipelineYaml;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The generated workflow's jobs run the way a hosted runner runs them, on <see cref="StandInImage.GitHubRunner"/>:
/// one container per job as the non-root <c>runner</c> with passwordless sudo and the host engine's socket (the
/// runner's own engine), the checkout in <c>/home/runner/work/&lt;repo&gt;/&lt;repo&gt;</c>, GitHub's variables, and
/// each <c>run:</c> step as GitHub runs it (<c>bash --noprofile --norc -eo pipefail</c>, the workflow's, the job's and
/// the step's <c>env</c>, <c>${{ secrets.NAME }}</c> from the repository secrets). The actions the steps use are
/// played by their effect: checkout is the clone, setup-dotnet finds the SDK in the image, cache restores and saves
/// its path as GitHub's cache service would within one run (<see cref="ActionsCache"/>), upload- and
/// download-artifact copy folders between jobs.
/// </summary>
public sealed partial class GitHubRunnerContainers(GitLabJobContainers git, CiValidatorsFixture validators)
{
    public const string Workspace = "/home/runner/work/example-service/example-service";

    private const string WorkflowFile = ".github/workflows/ci.yml";

    /// <summary>
    /// The jobs a push to a branch runs that neither deploy (<c>deploy-*</c>) nor need a cluster of
    /// their own (a kind step), in the order their <c>needs</c> give.
    /// </summary>
    public static IReadOnlyList<GitHubJob> JobsBeforeTheCluster(AbsolutePath root)
    {
        var workflow = Load(root / WorkflowFile);
        var jobs = ((YamlMappingNode)Child(workflow, "jobs")!).Children
            .Select(job => new GitHubJob(
                ((YamlScalarNode)job.Key).Value!,
                Child(job.Value, "needs") is YamlSequenceNode needs ? needs.Select(n => ((YamlScalarNode)n).Value!).ToList() : [],
                Environment(workflow).Concat(Environment(job.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
                ((YamlSequenceNode)Child(job.Value, "steps")!).Cast<YamlMappingNode>().ToList()))
            .Where(job => !ClusterJobs.IsDeploy(job.Name)
                && !job.Steps.Any(step => Text(step, "uses")?.StartsWith("helm/kind-action", StringComparison.Ordinal) == true))
            .ToList();
        var ordered = new List<GitHubJob>();
        while (ordered.Count < jobs.Count)
        {
            var ready = jobs.First(job => !ordered.Contains(job) && job.Needs.All(need => ordered.Exists(o => o.Name == need) || !jobs.Exists(j => j.Name == need)));
            ordered.Add(ready);
        }

        return ordered;
    }

    /// <summary>
    /// Runs one job's steps in order, as GitHub would after a push to <paramref name="branch"/>; artifacts go to and
    /// come from <paramref name="artifacts"/>, cache entries from and to <paramref name="caches"/>.
    /// </summary>
    public async Task<GitHubJobRun> RunAsync(
        AbsolutePath source,
        string branch,
        GitHubJob job,
        IReadOnlyDictionary<string, string> secrets,
        AbsolutePath artifacts,
        AbsolutePath caches,
        AbsolutePath logs,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var clone = await git.CloneAsync(source, branch, cancellationToken);
        var cache = new ActionsCache(validators.Processes, caches);
        var quiet = new ProcessOptions { LogOutput = false };
        var container = $"github-runner-{job.Name}-{Guid.NewGuid():N}"[..40];
        var steps = new List<GitHubStepRun>();
        var saves = new List<ActionsCache.Save>();
        try
        {
            // Before the workspace changes hands: git refuses to read a repository owned by another user.
            var sha = (await validators.Processes.RunAsync("git", ["-C", clone, "rev-parse", "HEAD"], quiet, cancellationToken)).StandardOutput.Trim();

            // The runner's user owns its workspace.
            await validators.Processes.RunAsync("chown", ["-R", "1001:1001", clone.Parent], quiet, cancellationToken);
            var socketGroup = (await validators.Processes.RunAsync("stat", ["-c", "%g", GitLabJobContainers.DockerSocket], quiet, cancellationToken)).StandardOutput.Trim();
            await validators.Processes.RunAsync(
                "docker",
                [
                    "run", "--detach", "--name", container, "--network", "host", "--group-add", socketGroup,
                    "--volume", $"{GitLabJobContainers.CaBundle}:{GitLabJobContainers.CaBundle}:ro",
                    "--volume", $"{GitLabJobContainers.DockerSocket}:{GitLabJobContainers.DockerSocket}",
                    "--volume", $"{clone}:{Workspace}",
                    StandInImage.GitHubRunner.Name, "sleep", "infinity",
                ],
                quiet,
                cancellationToken);
            var failed = false;
            var index = 0;
            foreach (var step in job.Steps)
            {
                index++;
                var condition = Text(step, "if");
                if (!ShouldRun(condition, failed))
                {
                    continue;
                }

                var name = Text(step, "name") ?? Text(step, "uses") ?? Text(step, "run")!;
                if (Text(step, "uses") is { } cacheAction && cacheAction.Split('@')[0] == "actions/cache")
                {
                    if (await cache.RestoreAsync(container, Child(step, "with")!, clone, cancellationToken) is { } save)
                    {
                        saves.Add(save);
                    }

                    continue;
                }

                if (Text(step, "uses") is { } action)
                {
                    if (PlayAction(action, step, clone, artifacts))
                    {
                        // On GitHub the action runs as the runner's user, so what it writes (and the folders it makes) is the runner's.
                        await validators.Processes.RunAsync("chown", ["-R", "1001:1001", clone], quiet, cancellationToken);
                    }

                    continue;
                }

                var environment = new Dictionary<string, string>(Variables(job, branch, sha), StringComparer.Ordinal);
                foreach (var (key, value) in job.Environment.Concat(Environment(step)))
                {
                    environment[key] = SecretReference().Replace(value, m => secrets.GetValueOrDefault(m.Groups["name"].Value, string.Empty));
                }

                var result = await ExecAsync(container, Script(Text(step, "run")!, failed), environment, logs / $"{job.Name}.{index}.log", timeout, cancellationToken);
                steps.Add(new GitHubStepRun(job.Name, name, result));
                failed |= !result.Succeeded;
            }

            if (!failed)
            {
                // actions/cache's post step: only a job that succeeded saves.
                foreach (var save in saves)
                {
                    await cache.SaveAsync(container, save, cancellationToken);
                }
            }

            return new GitHubJobRun(job.Name, steps);
        }
        finally
        {
            await validators.Processes.RunAsync("docker", ["rm", "--force", container], quiet with { AllowNonZeroExitCode = true }, CancellationToken.None);
            GitLabJobContainers.Delete(clone);
        }
    }

    private Task<JobContainerResult> ExecAsync(string container, string script, IReadOnlyDictionary<string, string> environment, AbsolutePath log, TimeSpan timeout, CancellationToken cancellationToken)
        => JobContainer.DockerAsync(
            validators.Processes,
            ["exec", "--workdir", Workspace, .. environment.Keys.Order(StringComparer.Ordinal).SelectMany(name => new[] { "--env", name }), container, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            environment,
            log,
            timeout,
            cancellationToken);

    /// <summary>The variables GitHub sets for every step of a job of a push.</summary>
    private static Dictionary<string, string> Variables(GitHubJob job, string branch, string sha) => new(StringComparer.Ordinal)
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_EVENT_NAME"] = "push",
        ["GITHUB_REF"] = $"refs/heads/{branch}",
        ["GITHUB_REF_NAME"] = branch,
        ["GITHUB_REF_TYPE"] = "branch",
        ["GITHUB_SHA"] = sha,
        ["GITHUB_REPOSITORY"] = "example/example-service",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_RUN_ID"] = "1",
        ["GITHUB_RUN_NUMBER"] = "1",
        ["GITHUB_RUN_ATTEMPT"] = "1",
        ["GITHUB_JOB"] = job.Name,
        ["GITHUB_WORKFLOW"] = "example-service",
        ["GITHUB_WORKSPACE"] = Workspace,
        ["RUNNER_OS"] = "Linux",
        ["RUNNER_TEMP"] = "/tmp",
        ["GITHUB_STEP_SUMMARY"] = "/tmp/step-summary.md",
        ["GITHUB_OUTPUT"] = "/tmp/step-output",
        ["GITHUB_ENV"] = "/tmp/step-env",
    };

    /// <summary>A run step's script with the one expression the generated workflow puts in scripts: the failure hook's kind.</summary>
    internal static string Script(string run, bool failed)
    {
        var script = FailureKind().Replace(run, failed ? "failed" : "aborted");
        return script.Contains("${{", StringComparison.Ordinal)
            ? throw new NotSupportedException($"The proof does not evaluate the expressions in the step script {run}; teach GitHubRunnerContainers.Script.")
            : script;
    }

    /// <summary>The step conditions the generated workflow uses: none, <c>!cancelled()</c>, and <c>failure() || cancelled()</c>.</summary>
    internal static bool ShouldRun(string? condition, bool failed) => condition?.Trim() switch
    {
        null => !failed,
        "${{ !cancelled() }}" => true,
        "${{ failure() || cancelled() }}" => failed,
        var other => throw new NotSupportedException($"The proof does not evaluate the step condition {other}; teach GitHubRunnerContainers.ShouldRun."),
    };

    /// <summary>Plays the action's effect; true when it wrote to the workspace.</summary>
    private static bool PlayAction(string action, YamlMappingNode step, AbsolutePath workspace, AbsolutePath artifacts)
    {
        var with = Child(step, "with");
        switch (action.Split('@')[0])
        {
            case "actions/checkout" or "actions/setup-dotnet":
                break;
            case "actions/upload-artifact":
                var path = workspace / Text(with!, "path")!.TrimEnd('/');
                if (Directory.Exists(path))
                {
                    CopyFolder(path, artifacts / Text(with!, "name")!);
                }
                else if (File.Exists(path))
                {
                    Directory.CreateDirectory(artifacts / Text(with!, "name")!);
                    File.Copy(path, artifacts / Text(with!, "name")! / Path.GetFileName(path), overwrite: true);
                }

                break;
            case "actions/download-artifact":
                var stored = artifacts / Text(with!, "name")!;
                if (!Directory.Exists(stored))
                {
                    throw new InvalidOperationException($"download-artifact: no artifact {Text(with!, "name")} was uploaded by an earlier job.");
                }

                CopyFolder(stored, workspace / (Text(with!, "path") ?? "."));
                return true;
            default:
                throw new NotSupportedException($"The proof does not play the action {action}; teach GitHubRunnerContainers.PlayAction.");
        }

        return false;
    }

    private static void CopyFolder(AbsolutePath from, AbsolutePath to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = to / Path.GetRelativePath(from, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Environment(YamlNode node)
        => Child(node, "env") is YamlMappingNode env
            ? env.Children.Select(v => KeyValuePair.Create(((YamlScalarNode)v.Key).Value!, ((YamlScalarNode)v.Value).Value ?? string.Empty))
            : [];

    [GeneratedRegex(@"\$\{\{\s*job\.status == 'cancelled' && 'aborted' \|\| 'failed'\s*\}\}")]
    private static partial Regex FailureKind();

    [GeneratedRegex(@"\$\{\{\s*secrets\.(?<name>\w+)\s*\}\}")]
    private static partial Regex SecretReference();
}

/// <summary>One job of the workflow: its needs, its environment (the workflow's and its own) and its steps.</summary>
public sealed record GitHubJob(string Name, IReadOnlyList<string> Needs, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<YamlMappingNode> Steps);

/// <summary>The <c>run:</c> steps one job ran.</summary>
public sealed record GitHubJobRun(string Job, IReadOnlyList<GitHubStepRun> Steps)
{
    public bool Succeeded => Steps.Count > 0 && Steps.All(s => s.Result.Succeeded);
}

/// <summary>One <c>run:</c> step and how it ended.</summary>
public sealed record GitHubStepRun(string Job, string Step, JobContainerResult Result)
{
    public override string ToString() => $"{Job}/{Step}: exit {Result.ExitCode} after {Result.Duration.TotalMinutes:0.0} min";
}
