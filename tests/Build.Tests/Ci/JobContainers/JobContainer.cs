using TypedBuild;
using TypedBuild.Processes;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// One step of a CI job run the way its system runs it: a fresh container of <see cref="Image"/> (the engine's copy,
/// pulled only when missing) with the job's folders bound in, its variables, as <see cref="User"/> (the image's own
/// when null), on the host's network (where the proof's registry listens) and with the host's CA bundle (the package
/// registries are reached through it here). Where the system would grant a privilege this machine cannot, the step
/// gets the host engine's socket instead (<see cref="BindsDockerSocket"/>).
/// </summary>
public sealed record JobContainer(string Image, string WorkingDirectory, IReadOnlyList<string> Command)
{
    public IReadOnlyDictionary<string, AbsolutePath> Folders { get; init; } = new Dictionary<string, AbsolutePath>();

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? User { get; init; }

    public bool BindsDockerSocket { get; init; }

    /// <summary>The docker run arguments; variables are passed by name so their values stay out of the command line.</summary>
    public IReadOnlyList<string> RunArguments()
    {
        var arguments = new List<string> { "run", "--rm", "--network", "host", "--pull", "missing", "--workdir", WorkingDirectory };
        arguments.AddRange(["--volume", $"{GitLabJobContainers.CaBundle}:{GitLabJobContainers.CaBundle}:ro"]);
        foreach (var (inContainer, onHost) in Folders)
        {
            arguments.AddRange(["--volume", $"{onHost}:{inContainer}"]);
        }

        if (BindsDockerSocket)
        {
            arguments.AddRange(["--volume", $"{GitLabJobContainers.DockerSocket}:{GitLabJobContainers.DockerSocket}"]);
        }

        if (User is not null)
        {
            arguments.AddRange(["--user", User]);
        }

        foreach (var name in Environment.Keys.Order(StringComparer.Ordinal))
        {
            arguments.AddRange(["--env", name]);
        }

        arguments.Add(Image);
        arguments.AddRange(Command);
        return arguments;
    }

    /// <summary>Runs the step; its whole output goes to <paramref name="log"/>, and the result keeps its last lines.</summary>
    public Task<JobContainerResult> RunAsync(IProcessRunner processes, AbsolutePath log, TimeSpan timeout, CancellationToken cancellationToken = default)
        => DockerAsync(processes, RunArguments(), Environment, log, timeout, cancellationToken);

    /// <summary>
    /// One docker call of a step (a run, or an exec in a job's container) with <paramref name="environment"/> as the
    /// values of the variables its arguments name; the output goes to <paramref name="log"/>.
    /// </summary>
    public static async Task<JobContainerResult> DockerAsync(
        IProcessRunner processes, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, AbsolutePath log, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var result = await processes.RunAsync(
            "docker",
            arguments,
            new ProcessOptions { Environment = environment.ToDictionary(v => v.Key, v => (string?)v.Value), LogOutput = false, AllowNonZeroExitCode = true, Timeout = timeout },
            cancellationToken);
        var output = result.Output.Select(line => line.Text).ToList();
        await File.WriteAllLinesAsync(log, output, cancellationToken);
        return new JobContainerResult(result.ExitCode, DateTimeOffset.UtcNow - started, output.TakeLast(60).ToList());
    }
}

/// <summary>A step's exit code, time and the end of its output.</summary>
public sealed record JobContainerResult(int ExitCode, TimeSpan Duration, IReadOnlyList<string> OutputTail)
{
    public bool Succeeded => ExitCode == 0;
}
