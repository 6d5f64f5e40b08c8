using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace Build.Tests.Quality.Fixtures;

/// <summary>What one run of the build definition printed and returned.</summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();

    public override string ToString() => $"exit code {ExitCode}:\n{Output}";
}

/// <summary>
/// A throwaway repository the real build definition (<c>_build.dll</c>, next to this test assembly) runs in with
/// <c>--root</c>, as <c>./build.sh</c> would run it: the quality targets are tested end to end, with the real tools.
/// </summary>
public sealed partial class FixtureRepository : IDisposable
{
    public FixtureRepository()
    {
        Root = Directory.CreateTempSubdirectory("quality-fixture-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Write("version.txt", "2.3.0\n");
    }

    public string Root { get; }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public void Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Copies a file of this repository (found upwards from the test assembly) into the fixture.</summary>
    public void CopyFromRepository(string relativePath)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, relativePath)))
        {
            directory = directory.Parent;
        }

        var source = directory is null
            ? throw new FileNotFoundException($"{relativePath} not found above {AppContext.BaseDirectory}")
            : Path.Combine(directory.FullName, relativePath);
        Write(relativePath, File.ReadAllText(source));
    }

    public Task<BuildRun> RunAsync(params string[] arguments) => RunAsync(arguments, new Dictionary<string, string?>());

    /// <summary>A run with the target cache on, for the tests of what it restores.</summary>
    public Task<BuildRun> RunCachedAsync(params string[] arguments) => RunAsync(arguments, new Dictionary<string, string?>(), cached: true);

    /// <summary>Runs the build as a local (non-CI) build with plain output; <paramref name="environment"/> adds variables.</summary>
    public async Task<BuildRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, bool cached = false)
    {
        // No MSBuild nodes or build servers outliving the run (they would hold its output open).
        var variables = LocalBuildEnvironment.With(new Dictionary<string, string?>(environment)
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        });

        var result = await Cli.Wrap("dotnet")
            // Each run must do the targets' work unless asked: an entry of an earlier run would answer instead (the
            // fixture's failure switch is an environment variable no target declares as an input).
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--root", Root, .. cached ? Array.Empty<string>() : ["--no-cache"]])
            .WithWorkingDirectory(Root)
            .WithEnvironmentVariables(variables)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new BuildRun(result.ExitCode, result.StandardOutput + result.StandardError);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A server a tool started may still hold a file for a moment; the directory is under the temp folder.
        }
    }

    /// <summary>"Line coverage 41.6% is below the required 90%" → 41.6.</summary>
    public static double MeasuredLineCoverage(string output)
        => double.Parse(LineCoverageMessage().Match(output).Groups["measured"].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Line coverage (?<measured>\d+\.\d)% is below the required")]
    private static partial Regex LineCoverageMessage();
}
