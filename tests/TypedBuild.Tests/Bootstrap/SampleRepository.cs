using System.Diagnostics;
using System.Text;

namespace TypedBuild.Tests.Bootstrap;

/// <summary>What one <c>build.sh</c> run printed (stdout and stderr interleaved as they arrived) and returned.</summary>
public sealed record ScriptRun(int ExitCode, string Output);

/// <summary>
/// A throwaway repository with this repository's <c>build.sh</c>, a <c>.nuke</c> folder and a tiny build project
/// that references <c>src/TypedBuild</c> by absolute path. The first run (in the constructor) compiles it; the tests
/// of a class share that compiled build, because a compile costs tens of seconds here.
/// </summary>
public sealed class SampleRepository : IDisposable
{
    public const string StampFile = "Stamp.cs";

    public SampleRepository()
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
        File.WriteAllText(Path.Combine(Root, "build", "Build.cs"), """
            using TypedBuild;

            partial class Build : BuildBase
            {
                public static int Main(string[] args) => Execute<Build>(args, x => x.Hello);

                [Parameter("Who to greet")]
                readonly string Name = "sample";

                Target Hello => _ => _.Description("Greets").Executes(() => Log.Information($"hello {Name}"));

                Target Fail => _ => _.Executes(() => throw new InvalidOperationException("this target fails"));

                Target Stamp => _ => _.Executes(() => Log.Information($"stamp {StampValue}"));

                Target Sleep => _ => _.Executes(async cancellationToken =>
                    await Processes.RunAsync("sh", ["-c", "echo child-pid $$; exec sleep 300"], cancellationToken: cancellationToken));
            }
            """);
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

    /// <summary>Runs <c>build.sh</c> without a terminal and outside any CI host, like a developer piping its output.</summary>
    public async Task<ScriptRun> RunAsync(string[] args, Func<Process, StringBuilder, Task>? onStarted)
    {
        var startInfo = new ProcessStartInfo("bash") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Path.Combine(Root, "build.sh"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITLAB_CI", "CONCOURSE_CI" })
        {
            startInfo.Environment.Remove(variable);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
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
            return new ScriptRun(process.ExitCode, output.ToString());
        }
    }

    public void Dispose()
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

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
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
