using System.Diagnostics;
using System.Text;

namespace TypedBuild.Tests.Bootstrap;

/// <summary>
/// What one <c>build.sh</c> run printed (<paramref name="Output"/>: stdout and stderr interleaved as they arrived, then
/// each stream on its own) and returned.
/// </summary>
public sealed record ScriptRun(int ExitCode, string Output, string StandardOutput, string StandardError);

/// <summary>
/// A throwaway repository with this repository's <c>build.sh</c>, a <c>.nuke</c> folder and a tiny build project
/// that references <c>src/TypedBuild</c> by absolute path. The first run (in the constructor) compiles it; the tests
/// of a class share that compiled build, because a compile costs tens of seconds here.
/// </summary>
public class SampleRepository : IDisposable
{
    public const string StampFile = "Stamp.cs";

    /// <summary>Sample repositories compile the same engine project: their tests run one at a time.</summary>
    public const string Collection = "build.sh on sample repositories";

    /// <summary>The sample's targets: a greeting, failures, secrets printed every way, a child process, a missing tool, Slack.</summary>
    public const string BuildSource = """
        using TypedBuild;
        using TypedBuild.Notifications.Slack;
        using TypedBuild.Provisioning;

        partial class Build : BuildBase
        {
            public static int Main(string[] args) => Execute<Build>(args, x => x.Hello);

            [Parameter("Who to greet")]
            readonly string Name = "sample";

            [Parameter("A secret")]
            [Secret]
            readonly string? Token = null;

            [Parameter("Slack webhook")]
            [Secret]
            readonly string? SlackWebhookUrl = null;

            Target Hello => _ => _.Description("Greets").Executes(() => Log.Information($"hello {Name}"));

            Target Fail => _ => _.Executes(() => throw new InvalidOperationException("this target fails"));

            Target Stamp => _ => _.Executes(() => Log.Information($"stamp {StampValue}"));

            Target Sleep => _ => _.Executes(async cancellationToken =>
                await Processes.RunAsync("sh", ["-c", "echo child-pid $$; exec sleep 300"], cancellationToken: cancellationToken));

            Target Stubborn => _ => _.Executes(async cancellationToken =>
                await Processes.RunAsync("sh", ["-c", "trap '' TERM; echo child-pid $$; exec sleep 300"], cancellationToken: cancellationToken));

            Target Leak => _ => _.Executes(async cancellationToken =>
            {
                await Processes.RunAsync("sh", ["-c", "printf '%s\\n' \"$TOKEN\"; printf '%s\\n' \"$TOKEN\" >&2"], cancellationToken: cancellationToken);
                foreach (var character in Token ?? "")
                {
                    Console.Write(character);
                }

                Console.WriteLine();
                Console.Error.WriteLine($"stderr sees {Token}");
                Log.Information($"log sees {Token}");
            });

            Target NeedsTool => _ => _.Requires(new Frobnicate()).Executes(() => Log.Information("never"));

            protected override IEnumerable<IBuildObserver> Observers =>
                [new SlackNotifier(new SlackNotifierOptions { WebhookUrl = SlackWebhookUrl, MaxAttempts = 1 }, Log)];
        }

        sealed class Frobnicate : IToolRequirement
        {
            public string Name => "frobnicate";

            public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
                => Task.FromResult(RequirementCheck.Missing("frobnicate is not on PATH.", "apt-get install frobnicate"));

            public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
                => Task.FromResult<IAsyncDisposable?>(null);

            public string? UnmetOn(DeclaredMachine machine) => "frobnicate is not on it";
        }
        """;

    public SampleRepository()
        : this(BuildSource)
    {
    }

    protected SampleRepository(string buildSource)
    {
        Root = Path.Combine(Path.GetTempPath(), "typedbuild-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Directory.CreateDirectory(Path.Combine(Root, "build"));
        File.Copy(Path.Combine(RepositoryRoot, "build.sh"), Path.Combine(Root, "build.sh"));
        File.Copy(Path.Combine(RepositoryRoot, "global.json"), Path.Combine(Root, "global.json"));
        File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), "{}\n");
        File.WriteAllText(Path.Combine(Root, "build", "_build.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>_build</AssemblyName>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(RepositoryRoot, "src", "TypedBuild", "TypedBuild.csproj")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "build", "Build.cs"), buildSource);
        WriteStamp("v1");
        FirstRun = Run("Hello");
    }

    /// <summary>The repository this test assembly was built from: the nearest directory upwards with build.sh and src/TypedBuild.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string Root { get; }

    public ScriptRun FirstRun { get; }

    public void WriteStamp(string value)
        => File.WriteAllText(Path.Combine(Root, "build", StampFile), $"partial class Build {{ const string StampValue = \"{value}\"; }}\n");

    public ScriptRun Run(params string[] args) => RunAsync(args, onStarted: null).GetAwaiter().GetResult();

    /// <summary>Runs <c>build.sh</c> with these variables set (on top of the clean environment <see cref="RunAsync"/> gives it).</summary>
    public ScriptRun RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
        => RunAsync(args, onStarted: null, environment).GetAwaiter().GetResult();

    /// <summary>
    /// Runs <c>build.sh</c> without a terminal and outside any CI host, like a developer piping its output;
    /// <paramref name="environment"/> adds variables (a CI host's, a secret).
    /// </summary>
    public async Task<ScriptRun> RunAsync(string[] args, Func<Process, StringBuilder, Task>? onStarted, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Path.Combine(Root, "build.sh"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITLAB_CI", "CONCOURSE_CI", "CI", "SLACK_WEBHOOK_URL", "NO_COLOR" })
        {
            startInfo.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var output = new StringBuilder();
        var (standardOutput, standardError) = (new StringBuilder(), new StringBuilder());
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data, standardOutput);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data, standardError);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (onStarted is not null)
        {
            await onStarted(process, output);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        lock (output)
        {
            return new ScriptRun(process.ExitCode, output.ToString(), standardOutput.ToString(), standardError.ToString());
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static void Append(StringBuilder output, string? line, StringBuilder stream)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            stream.AppendLine(line);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "build.sh")) && Directory.Exists(Path.Combine(directory.FullName, "src", "TypedBuild")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (with build.sh and src/TypedBuild) above {AppContext.BaseDirectory}.");
    }
}
