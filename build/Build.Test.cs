using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>The PostgreSQL server binaries the database tests start a throwaway cluster from.</summary>
    static readonly AptPackage PostgresServer = new("postgresql", "pg_ctlcluster");

    AbsolutePath TestResultsDirectory => ArtifactsDirectory / "test-results";

    AbsolutePath CoverageDirectory => ArtifactsDirectory / "coverage";

    /// <summary>
    /// On CI the tests that need a Docker Engine (and the local registry the image tests push to) or PostgreSQL must
    /// run, so the build provisions them before Test (and fails before anything runs when it cannot). Locally those
    /// tests skip themselves when the tools are absent.
    /// </summary>
    IToolRequirement[] TestServices => IsServerBuild ? [Tools.Docker, Tools.Registry, PostgresServer] : [];

    Target Test => _ => _
        .Description("Runs every test project once: TRX and JUnit results, Cobertura and OpenCover coverage under artifacts/")
        .DependsOn(Compile)
        .Requires(TestServices)
        .Executes(async cancellationToken =>
        {
            var options = new TestRunOptions(Solution, Configuration.ToString(), TestResultsDirectory, CoverageDirectory, RootDirectory / "build" / "coverage.runsettings")
            {
                // Concourse does not set CI; the tests read it to decide whether a missing database is a skip or a failure.
                Environment = IsServerBuild ? new Dictionary<string, string?> { ["CI"] = "true" } : new Dictionary<string, string?>(),
                Filter = $"Category!={TestCategories.CiJobProof}",
            };
            var summary = await new TestRun(Processes).RunAsync(options, cancellationToken);

            ReportSummary("Passed", summary.Passed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Failed", summary.Failed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Skipped", summary.Skipped.ToString(CultureInfo.InvariantCulture));
            summary.Failures.ToList().ForEach(failure => Log.Error($"FAILED {failure}"));
            Log.Information($"Results in {TestResultsDirectory.RelativeTo(RootDirectory)}, coverage in {CoverageDirectory.RelativeTo(RootDirectory)}");
            // One unadorned line that scripts and CI log parsers can match: "Tests: 12 passed, 0 failed, 1 skipped".
            await Console.Out.WriteLineAsync($"Tests: {summary}".AsMemory(), cancellationToken);

            if (!summary.Succeeded)
            {
                throw new InvalidOperationException(summary.FailureMessage());
            }
        });
}
