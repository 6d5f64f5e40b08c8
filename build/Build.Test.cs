using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>
    /// The PostgreSQL server binaries the database tests start a throwaway cluster from. On CI the database tests must
    /// run, so the build provisions them before Test (and fails before anything runs when it cannot); locally the tests
    /// skip themselves when the server is absent.
    /// </summary>
    static readonly IToolRequirement PostgresServer = new ServerBuildOnly(new AptPackage("postgresql", "pg_ctlcluster"));

    /// <summary>The registry binaries: the image and Helm OCI tests start registries of their own, on free ports.</summary>
    static readonly IToolRequirement RegistryServer = new ServerBuildOnly(TypedBuild.Provisioning.Daemons.LocalRegistry.ServerPackage);

    /// <summary>
    /// The same rule for the tests that build and run the image: a Docker Engine. A job without an engine runs Test
    /// alone; TestImage runs where the engine is (GitLab and Concourse need a socket or privileges for it, which the
    /// quality job must not).
    /// </summary>
    static readonly IToolRequirement ImageTestEngine = new ServerBuildOnly(Tools.Docker);

    /// <summary>The browser the build report's screenshot test renders the report in.</summary>
    static readonly IToolRequirement ReportBrowser = new ServerBuildOnly(Tools.HeadlessBrowser);

    /// <summary>
    /// Which of the servers the tests start, and of the browsers, are installed: locally the tests that need an absent one skip themselves,
    /// so installing one changes the results.
    /// </summary>
    static readonly string[] TestServersProbe = ["-c", $"command -v pg_ctlcluster docker dockerd {string.Join(' ', HeadlessBrowser.Executables)}; true"];

    AbsolutePath TestResultsDirectory => ArtifactsDirectory / "test-results";

    AbsolutePath CoverageDirectory => ArtifactsDirectory / "coverage";

    Target Test => _ => _
        .Description("Runs every test that needs no Docker Engine: TRX and JUnit results, Cobertura and OpenCover coverage under artifacts/")
        .DependsOn(Compile)
        .NeedsAlone(DotnetCores)
        .Requires(PostgresServer, RegistryServer, ReportBrowser)
        .InputFiles(SolutionSources)
        .InputValue(() => TestedCompileCommand)
        .InputValue(() => IsServerBuild)
        .InputTool("dotnet", "--version")
        .InputTool("sh", TestServersProbe)
        .Outputs("artifacts/test-results/Test", "artifacts/coverage/Test")
        .Executes(cancellationToken => RunTestSuiteAsync(nameof(Test), TestSuite.WithoutDocker, cancellationToken));

    Target TestImage => _ => _
        .Description("Runs the tests that build the service image and run it in a Docker Engine (on SQLite and PostgreSQL)")
        .DependsOn(Compile)
        .After(Test)
        .NeedsAlone(DockerWork, DotnetCores)
        .Requires(ImageTestEngine, PostgresServer, RegistryServer)
        .InputFiles(SolutionSources)
        .InputValue(() => TestedCompileCommand)
        .InputValue(() => IsServerBuild)
        .InputTool("dotnet", "--version")
        .InputTool("sh", TestServersProbe)
        .Outputs("artifacts/test-results/TestImage", "artifacts/coverage/TestImage")
        .Executes(cancellationToken => RunTestSuiteAsync(nameof(TestImage), TestSuite.DockerOnly, cancellationToken));

    async Task RunTestSuiteAsync(string suite, string filter, CancellationToken cancellationToken)
    {
        var resultsDirectory = TestResultsDirectory / suite;
        var coverageDirectory = CoverageDirectory / suite;
        var options = new TestRunOptions(Solution, Configuration.ToString(), resultsDirectory, coverageDirectory, RootDirectory / "build" / "coverage.runsettings")
        {
            Filter = filter,
            // Concourse does not set CI; the tests read it to decide whether a missing database is a skip or a failure.
            Environment = IsServerBuild ? new Dictionary<string, string?> { ["CI"] = "true" } : new Dictionary<string, string?>(),
        };
        var summary = await new TestRun(Processes).RunAsync(options, cancellationToken);

        ReportSummary("Passed", summary.Passed.ToString(CultureInfo.InvariantCulture));
        ReportSummary("Failed", summary.Failed.ToString(CultureInfo.InvariantCulture));
        ReportSummary("Skipped", summary.Skipped.ToString(CultureInfo.InvariantCulture));
        summary.Failures.ToList().ForEach(failure => Log.Error($"FAILED {failure}"));
        Log.Information($"Results in {resultsDirectory.RelativeTo(RootDirectory)}, coverage in {coverageDirectory.RelativeTo(RootDirectory)}");
        // One unadorned line that scripts and CI log parsers can match: "Tests: 12 passed, 0 failed, 1 skipped".
        await Console.Out.WriteLineAsync($"Tests: {summary}".AsMemory(), cancellationToken);

        if (!summary.Succeeded)
        {
            throw new InvalidOperationException(summary.FailureMessage());
        }
    }
}
