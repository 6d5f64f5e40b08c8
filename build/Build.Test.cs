using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;

namespace ExampleService.Build;

partial class Build
{
    AbsolutePath TestResultsDirectory => ArtifactsDirectory / "test-results";

    AbsolutePath CoverageDirectory => ArtifactsDirectory / "coverage";

    Target Test => _ => _
        .Description("Runs every test project once: TRX and JUnit results, Cobertura and OpenCover coverage under artifacts/")
        .DependsOn(Compile)
        .Executes(async cancellationToken =>
        {
            var options = new TestRunOptions(Solution, Configuration.ToString(), TestResultsDirectory, CoverageDirectory, RootDirectory / "build" / "coverage.runsettings")
            {
                // Tests that need PostgreSQL or Docker skip themselves locally when those are missing, but fail on CI.
                Environment = IsServerBuild ? new Dictionary<string, string?> { ["CI"] = "true" } : new Dictionary<string, string?>(),
            };
            var summary = await new TestRun(Processes).RunAsync(options, cancellationToken);

            ReportSummary("Passed", summary.Passed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Failed", summary.Failed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Skipped", summary.Skipped.ToString(CultureInfo.InvariantCulture));
            summary.Failures.ToList().ForEach(failure => Log.Error($"FAILED {failure}"));
            Log.Information($"Tests: {summary}; results in {TestResultsDirectory.RelativeTo(RootDirectory)}, coverage in {CoverageDirectory.RelativeTo(RootDirectory)}");

            if (!summary.Succeeded)
            {
                throw new InvalidOperationException(summary.FailureMessage());
            }
        });
}
