using System.Globalization;
using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Processes;
using YamlDotNet.RepresentationModel;
using static Build.Tests.Ci.JobContainers.PipelineYaml;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The GitLab runner the README documents, played by gitlab-ci-local's docker executor: every job in a container of
/// the image its <c>.gitlab-ci.yml</c> names (pulled only when the engine lacks it), the host engine's socket bound
/// in (<c>volumes = ["/var/run/docker.sock:/var/run/docker.sock"]</c>), the host's network (<c>network_mode = "host"</c>),
/// the host's CA bundle as the container's, no privileges. Runs in a throwaway clone, so its state, artifacts and
/// NuGet cache (the pipeline's <c>cache:</c>, kept under the clone's <c>.gitlab-ci-local</c>) live and die with one run.
/// </summary>
public sealed partial class GitLabJobContainers(CiValidatorsFixture validators)
{
    public const string CaBundle = "/etc/ssl/certs/ca-certificates.crt";

    public const string DockerSocket = "/var/run/docker.sock";

    /// <summary>gitlab-ci-local's docker executor options that make up the runner configuration.</summary>
    public static IReadOnlyList<string> RunnerOptions { get; } =
    [
        "--volume", $"{DockerSocket}:{DockerSocket}",
        "--network", "host",
        "--ca-file", CaBundle,
        "--pull-policy", "if-not-present",
        "--helper-image", StandInImage.GitLabCiLocalHelper.Name,
    ];

    /// <summary>
    /// A clone of <paramref name="source"/>'s HEAD (committed files only) in a new temporary folder, on
    /// <paramref name="branch"/>, with a GitLab-like origin (gitlab-ci-local derives the project path from it).
    /// </summary>
    public async Task<AbsolutePath> CloneAsync(AbsolutePath source, string branch, CancellationToken cancellationToken = default)
    {
        var clone = AbsolutePath.Create(Directory.CreateTempSubdirectory("gitlab-job-containers-").FullName) / "example-service";
        var quiet = new ProcessOptions { LogOutput = false };
        var head = (await validators.Processes.RunAsync("git", ["-C", source, "rev-parse", "HEAD"], quiet, cancellationToken)).StandardOutput.Trim();
        await validators.Processes.RunAsync("git", ["clone", "--quiet", "--no-checkout", source, clone], quiet, cancellationToken);
        await validators.Processes.RunAsync("git", ["-C", clone, "checkout", "--quiet", "-B", branch, head], quiet, cancellationToken);
        await validators.Processes.RunAsync("git", ["-C", clone, "remote", "set-url", "origin", "https://gitlab.example.test/example/example-service.git"], quiet, cancellationToken);
        return clone;
    }

    /// <summary>
    /// The jobs a pipeline of the clone's branch runs by itself (neither manual nor never), except those that reach a
    /// cluster (<c>deploy-*</c>, <c>rollback-*</c>), in the file's order.
    /// </summary>
    public async Task<IReadOnlyList<string>> JobsBeforeTheClusterAsync(AbsolutePath clone, CancellationToken cancellationToken = default)
    {
        var result = await GitLabCiLocalAsync(clone, ["--list-csv"], TimeSpan.FromMinutes(2), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"gitlab-ci-local --list-csv failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }

        return result.StandardOutput.Split('\n')
            .SkipWhile(line => !line.StartsWith("name;", StringComparison.Ordinal))
            .Skip(1)
            .Select(line => line.Split(';'))
            .Where(fields => fields.Length > 2 && fields[2] == "on_success")
            .Select(fields => fields[0])
            .Where(name => !ClusterJobs.ReachesTheCluster(name))
            .ToList();
    }

    /// <summary>
    /// Runs <paramref name="jobs"/> in their images, in the order their <c>needs</c> give (artifacts handed on as
    /// GitLab does), with <paramref name="variables"/> as the project's CI/CD variables.
    /// </summary>
    public async Task<GitLabPipelineRun> RunAsync(
        AbsolutePath clone,
        IReadOnlyList<string> jobs,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var variableOptions = variables.SelectMany(v => new[] { "--variable", $"{v.Key}={v.Value}" });
        var started = DateTimeOffset.UtcNow;
        var result = await GitLabCiLocalAsync(clone, [.. jobs, "--no-color", .. RunnerOptions, .. variableOptions], timeout, cancellationToken);
        var output = result.Output.Select(line => line.Text).ToList();
        await File.WriteAllLinesAsync(clone.Parent / "gitlab-ci-local.log", output, cancellationToken);
        return new GitLabPipelineRun(result.ExitCode, DateTimeOffset.UtcNow - started, jobs.Select(job => JobResult(clone / ".gitlab-ci-local", job, output)).ToList(), output);
    }

    /// <summary>
    /// The image the clone's <c>.gitlab-ci.yml</c> names for <paramref name="job"/> (its own <c>image:</c>, else
    /// <c>default.image</c>), with <c>$NAME</c> and <c>${NAME}</c> taken from <paramref name="variables"/> and the file's
    /// global variables.
    /// </summary>
    public static string? ImageNamedFor(AbsolutePath clone, string job, IReadOnlyDictionary<string, string> variables)
    {
        var root = Load(clone / ".gitlab-ci.yml");
        var image = Image(Child(Child(root, job), "image")) ?? Image(Child(Child(root, "default"), "image"));
        if (image is null)
        {
            return null;
        }

        var known = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        if (Child(root, "variables") is YamlMappingNode globals)
        {
            foreach (var (key, value) in globals.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                {
                    known.TryAdd(name, text);
                }
            }
        }

        return VariableReference().Replace(image, m => known.GetValueOrDefault(m.Groups["name"].Value, string.Empty));

        static string? Image(YamlNode? node) => node switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlMappingNode mapping => (Child(mapping, "name") as YamlScalarNode)?.Value,
            _ => null,
        };
    }

    /// <summary>Deletes the clone and its parent folder; the job volumes went with each job (gitlab-ci-local's cleanup).</summary>
    public static void Delete(AbsolutePath clone)
    {
        if (Directory.Exists(clone.Parent))
        {
            Directory.Delete(clone.Parent, recursive: true);
        }
    }

    private Task<ProcessResult> GitLabCiLocalAsync(AbsolutePath clone, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
        => validators.Processes.RunAsync(
            validators.Node.ExecutablePath,
            [validators.Packages.ModulePath(validators.Context, "gitlab-ci-local/dist/index.js"), .. arguments],
            new ProcessOptions { WorkingDirectory = clone, Environment = CiValidatorsFixture.WithoutGitLabCiLocalOptions, LogOutput = false, AllowNonZeroExitCode = true, Timeout = timeout },
            cancellationToken);

    /// <summary>One job's result from gitlab-ci-local's output (<c>--no-color</c>) and its log in <paramref name="stateDirectory"/>.</summary>
    internal static GitLabJobResult JobResult(AbsolutePath stateDirectory, string job, IReadOnlyList<string> output)
    {
        var prefix = new Regex($"^{Regex.Escape(job)} +", RegexOptions.CultureInvariant);
        var own = output.Where(line => prefix.IsMatch(line)).Select(line => prefix.Replace(line, string.Empty)).ToList();
        var image = own.Select(line => StartingLine().Match(line)).FirstOrDefault(m => m.Success)?.Groups["image"].Value;
        var finished = own.Select(line => FinishedLine().Match(line)).LastOrDefault(m => m.Success);
        var exitCode = finished is null ? (int?)null
            : finished.Groups["code"].Success ? int.Parse(finished.Groups["code"].Value, CultureInfo.InvariantCulture) : 0;
        // gitlab-ci-local names a job's log after the job when the name is word characters and dashes, as ours are.
        var log = stateDirectory / "output" / $"{job}.log";
        var tail = File.Exists(log) ? File.ReadLines(log).TakeLast(60).ToList() : own.TakeLast(60).ToList();
        return new GitLabJobResult(job, image, exitCode, finished?.Groups["duration"].Value, tail);
    }

    [GeneratedRegex(@"\$(?:\{(?<name>\w+)\}|(?<name>\w+))")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^starting (?<image>\S+) \(")]
    private static partial Regex StartingLine();

    [GeneratedRegex(@"^finished in (?<duration>.+?)(?: +(?:FAIL|WARN) +(?<code>\d+))? *$")]
    private static partial Regex FinishedLine();
}

/// <summary>What one gitlab-ci-local run did: its exit code, time, each job's result and its whole output.</summary>
public sealed record GitLabPipelineRun(int ExitCode, TimeSpan Duration, IReadOnlyList<GitLabJobResult> Jobs, IReadOnlyList<string> Output);

/// <summary>
/// One job: the image gitlab-ci-local started it in, its script's exit code (null when it never finished, e.g. a
/// needed job failed), how long it took, and the end of its log.
/// </summary>
public sealed record GitLabJobResult(string Name, string? Image, int? ExitCode, string? Duration, IReadOnlyList<string> LogTail)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString()
        => $"{Name}: image {Image ?? "(never started)"}, {(ExitCode is null ? "did not finish" : $"exit {ExitCode}")}{(Duration is null ? string.Empty : $" after {Duration}")}";
}
