using TypedBuild.Processes;

namespace ExampleService.Build.Quality;

/// <summary>Where one <c>dotnet test</c> run reads its inputs and leaves its results.</summary>
public sealed record TestRunOptions(
    string Solution,
    string Configuration,
    string ResultsDirectory,
    string CoverageDirectory,
    string RunSettings)
{
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>A <c>dotnet test --filter</c> expression choosing the tests of this run (see <see cref="TestSuite"/>).</summary>
    public string? Filter { get; init; }
}

/// <summary>
/// The filters that split the tests by what they need. A test that builds or runs containers carries the trait
/// <c>Requires=Docker</c>, so a job without a Docker Engine runs every other test and a job with one runs just those.
/// The proof that the generated jobs run in their own containers carries <c>Category=CiJobProof</c> and runs in
/// neither: the jobs it runs are Test and TestImage themselves, which would start it again inside the job container.
/// </summary>
public static class TestSuite
{
    public const string RequiresTrait = "Requires";

    public const string Docker = "Docker";

    public const string CategoryTrait = "Category";

    public const string CiJobProof = "CiJobProof";

    public const string WithoutDocker = $"{RequiresTrait}!={Docker}&{CategoryTrait}!={CiJobProof}";

    public const string DockerOnly = $"{RequiresTrait}={Docker}&{CategoryTrait}!={CiJobProof}";

    public const string JobProofOnly = $"{CategoryTrait}={CiJobProof}";
}

/// <summary>
/// Runs every test project of a solution once (<c>--no-build</c>) with the TRX and JUnit loggers and the coverlet
/// collector, then moves the coverage files (Cobertura and OpenCover, as the run settings ask) out of the results.
/// </summary>
public sealed class TestRun(IProcessRunner processes)
{
    public async Task<TestRunSummary> RunAsync(TestRunOptions options, CancellationToken cancellationToken)
    {
        RecreateDirectory(options.ResultsDirectory);
        RecreateDirectory(options.CoverageDirectory);

        var result = await processes.RunAsync("dotnet", Arguments(options), new ProcessOptions
        {
            AllowNonZeroExitCode = true,
            Environment = options.Environment,
            WorkingDirectory = Path.GetDirectoryName(options.Solution),
        }, cancellationToken);

        MoveCoverageFiles(options.ResultsDirectory, options.CoverageDirectory);
        var trxFiles = Directory.GetFiles(options.ResultsDirectory, "*.trx");
        if (trxFiles.Length == 0)
        {
            throw new InvalidOperationException(
                $"dotnet test exited with code {result.ExitCode} and wrote no test results to {options.ResultsDirectory}: " +
                "the test projects did not run (see the output above; did Compile run with the same --configuration?).");
        }

        var summary = TestRunSummary.ReadTrxFiles(trxFiles);
        return result.ExitCode != 0 && summary.Succeeded
            ? summary with { RunErrors = [.. summary.RunErrors, $"dotnet test exited with code {result.ExitCode}"] }
            : summary;
    }

    public static IReadOnlyList<string> Arguments(TestRunOptions options) =>
    [
        "test", options.Solution,
        .. options.Filter is null ? Array.Empty<string>() : ["--filter", options.Filter],
        "--no-build",
        "--configuration", options.Configuration,
        "--results-directory", options.ResultsDirectory,
        "--settings", options.RunSettings,
        "--collect", "XPlat Code Coverage",
        "--logger", "trx",
        "--logger", $"junit;LogFilePath={Path.Combine(options.ResultsDirectory, "{assembly}.junit.xml")}",
    ];

    /// <summary>
    /// The collector writes into <c>&lt;results&gt;/&lt;run id&gt;/</c> and the TRX logger copies it once more; keep one
    /// copy per test project under the coverage directory.
    /// </summary>
    static void MoveCoverageFiles(string resultsDirectory, string coverageDirectory)
    {
        foreach (var runDirectory in Directory.GetDirectories(resultsDirectory).Where(d => Guid.TryParse(Path.GetFileName(d), out _)))
        {
            var target = Directory.CreateDirectory(Path.Combine(coverageDirectory, Path.GetFileName(runDirectory))).FullName;
            foreach (var file in Directory.GetFiles(runDirectory, "coverage.*.xml"))
            {
                File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }

            Directory.Delete(runDirectory, recursive: true);
        }
    }

    static void RecreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }
}
