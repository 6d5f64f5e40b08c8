using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Ci.Concourse;
using YamlDotNet.RepresentationModel;
using static Build.Tests.Ci.JobContainers.PipelineYaml;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The generated Concourse pipeline's jobs run task by task as a worker would run them (what <c>fly execute</c> does
/// for one task): each task in a fresh container of its <c>image_resource</c>, its inputs and outputs as folders of
/// the build's working directory (<c>/tmp/build/&lt;id&gt;/&lt;name&gt;</c>), its <c>params</c> as variables, started
/// in its <c>run.dir</c>. The <c>get</c> of a git resource is a clone of the branch; <c>load_var</c> reads the fetched
/// files. A privileged task, which would start its own Docker Engine on a real worker, gets the host engine's socket
/// here, where no container may be privileged (the README states what a real worker needs).
/// </summary>
public sealed partial class ConcourseTaskContainers(GitLabJobContainers git, CiValidatorsFixture validators)
{
    /// <summary>Where Concourse mounts a build's inputs and outputs.</summary>
    public const string BuildDirectory = "/tmp/build/e3b0c442";

    /// <summary>The task of a job's own build call; the producers it runs first are named after their jobs.</summary>
    public const string OwnTask = "build";

    /// <summary>
    /// The jobs of a group (a line: <c>develop</c>, <c>main</c>, <c>release</c>) up to the cluster, in the file's order:
    /// not the rollbacks, and of a deploy job only the tasks before its own (the producers it runs first).
    /// </summary>
    public static IReadOnlyList<ConcourseJob> JobsBeforeTheCluster(AbsolutePath clone, string group)
    {
        var root = Load(clone / ConcourseWriter.FilePath);
        var names = ((YamlSequenceNode)Child(((YamlSequenceNode)root.Children[new YamlScalarNode("groups")]).Cast<YamlMappingNode>()
                .Single(g => Text(g, "name") == group), "jobs")!)
            .Select(n => ((YamlScalarNode)n).Value!)
            .Where(name => !ClusterJobs.IsRollback(name))
            .ToHashSet(StringComparer.Ordinal);
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("jobs")]).Cast<YamlMappingNode>()
            .Where(job => names.Contains(Text(job, "name")!))
            .Select(job => new ConcourseJob(Text(job, "name")!, ((YamlSequenceNode)Child(job, "plan")!).Cast<YamlMappingNode>().ToList())
            {
                StopsBeforeItsOwnTask = ClusterJobs.IsDeploy(Text(job, "name")!),
            })
            .ToList();
    }

    /// <summary>
    /// Runs one job's plan: gets, load_vars and its tasks in order, stopping at the first failed task. Pipeline
    /// variables (<c>((name))</c>) come from <paramref name="variables"/>; the build metadata resource yields build 1.
    /// </summary>
    public async Task<ConcourseJobRun> RunAsync(
        AbsolutePath source,
        string branch,
        ConcourseJob job,
        IReadOnlyDictionary<string, string> variables,
        AbsolutePath workDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var folders = new Dictionary<string, AbsolutePath>(StringComparer.Ordinal);
        var localVariables = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = new List<ConcourseTaskRun>();
        try
        {
            await RunPlanAsync();
        }
        finally
        {
            foreach (var clone in folders.Values.Where(folder => Directory.Exists(folder / ".git")))
            {
                GitLabJobContainers.Delete(clone);
            }
        }

        return new ConcourseJobRun(job.Name, tasks);

        async Task RunPlanAsync()
        {
            foreach (var step in job.Plan)
            {
                if (Text(step, "get") is { } resource)
                {
                    folders[resource] = resource == ConcourseWriter.MetadataResource
                        ? BuildMetadata(workDirectory / job.Name, job.Name)
                        : await git.CloneAsync(source, branch, cancellationToken);
                }
                else if (Text(step, "load_var") is { } name)
                {
                    var file = Text(step, "file")!;
                    var slash = file.IndexOf('/', StringComparison.Ordinal);
                    localVariables[name] = File.ReadAllText(folders[file[..slash]] / file[(slash + 1)..]).Trim();
                }
                else if (Text(step, "task") is { } task)
                {
                    if (task == OwnTask && job.StopsBeforeItsOwnTask)
                    {
                        return;
                    }

                    var container = TaskContainer(step, folders, name => Resolve(name, variables, localVariables));
                    var log = workDirectory / $"{job.Name}.{task}.log";
                    var result = await container.RunAsync(validators.Processes, log, timeout, cancellationToken);
                    tasks.Add(new ConcourseTaskRun(job.Name, task, container.Image, container.BindsDockerSocket, result));
                    if (!result.Succeeded)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>The container a task step runs in: image, folders, params and command from its config.</summary>
    public static JobContainer TaskContainer(YamlMappingNode step, IReadOnlyDictionary<string, AbsolutePath> folders, Func<string, string> variable)
    {
        var config = (YamlMappingNode)Child(step, "config")!;
        var source = (YamlMappingNode)Child(Child(config, "image_resource"), "source")!;
        var image = $"{Expand(Text(source, "repository")!, variable)}:{Expand(Text(source, "tag") ?? "latest", variable)}";
        var mounted = Names(config, "inputs").Concat(Names(config, "outputs")).Distinct(StringComparer.Ordinal)
            .ToDictionary(name => $"{BuildDirectory}/{name}", name => folders[name], StringComparer.Ordinal);
        var parameters = Child(config, "params") is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Expand(((YamlScalarNode)p.Value).Value ?? string.Empty, variable), StringComparer.Ordinal)
            : [];
        var run = (YamlMappingNode)Child(config, "run")!;
        var arguments = Child(run, "args") is YamlSequenceNode args ? args.Select(a => ((YamlScalarNode)a).Value!) : [];
        return new JobContainer(image, $"{BuildDirectory}/{Text(run, "dir") ?? string.Empty}".TrimEnd('/'), [Text(run, "path")!, .. arguments])
        {
            Folders = mounted,
            Environment = parameters,
            BindsDockerSocket = Child(step, "privileged") is YamlScalarNode { Value: "true" },
        };
    }

    /// <summary>What the build metadata resource fetches: one file per value.</summary>
    private static AbsolutePath BuildMetadata(AbsolutePath directory, string job)
    {
        var metadata = directory / ConcourseWriter.MetadataResource;
        Directory.CreateDirectory(metadata);
        File.WriteAllText(metadata / "build-name", "1\n");
        File.WriteAllText(metadata / "atc-external-url", "http://concourse.example.test\n");
        File.WriteAllText(metadata / "build-job-name", job + "\n");
        return metadata;
    }

    private static string Resolve(string name, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> localVariables)
    {
        var table = name.StartsWith(".:", StringComparison.Ordinal) ? localVariables : variables;
        var key = name.StartsWith(".:", StringComparison.Ordinal) ? name[2..] : name;
        return table.TryGetValue(key, out var value)
            ? value
            : throw new InvalidOperationException($"The pipeline uses (({name})), which the proof does not set: add it to the variables a team sets with fly set-pipeline.");
    }

    private static string Expand(string text, Func<string, string> variable) => VariableReference().Replace(text, m => variable(m.Groups["name"].Value));

    private static IEnumerable<string> Names(YamlMappingNode config, string key)
        => Child(config, key) is YamlSequenceNode list ? list.Cast<YamlMappingNode>().Select(item => Text(item, "name")!) : [];

    [GeneratedRegex(@"\(\((?<name>[.:\w-]+)\)\)")]
    private static partial Regex VariableReference();
}

/// <summary>One job of the pipeline file: its name and its plan's steps.</summary>
public sealed record ConcourseJob(string Name, IReadOnlyList<YamlMappingNode> Plan)
{
    /// <summary>A deploy job: its own task reaches the cluster.</summary>
    public bool StopsBeforeItsOwnTask { get; init; }
}

/// <summary>The tasks one job ran, in order; it stops at the first that failed.</summary>
public sealed record ConcourseJobRun(string Job, IReadOnlyList<ConcourseTaskRun> Tasks)
{
    public bool Succeeded => Tasks.Count > 0 && Tasks.All(t => t.Result.Succeeded);
}

/// <summary>One task: where it ran and how it ended.</summary>
public sealed record ConcourseTaskRun(string Job, string Task, string Image, bool BoundDockerSocket, JobContainerResult Result)
{
    public override string ToString()
        => $"{Job}/{Task}: image {Image}{(BoundDockerSocket ? " (privileged: engine socket bound)" : string.Empty)}, exit {Result.ExitCode} after {Result.Duration.TotalMinutes:0.0} min";
}
