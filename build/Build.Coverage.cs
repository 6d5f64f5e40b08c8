using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    [Parameter("Minimum line coverage in percent; Coverage fails below it")]
    readonly int CoverageLineThreshold = 85;

    [Parameter("Minimum branch coverage in percent; Coverage fails below it")]
    readonly int CoverageBranchThreshold = 70;

    /// <summary>The build definition's own assembly: covered by Build.Tests, reported on its own, outside the gate.</summary>
    const string BuildDefinitionAssembly = "_build";

    AbsolutePath CoverageReportDirectory => ArtifactsDirectory / "coverage-report";

    Target Coverage => _ => _
        .Description("Turns the coverage of Test and TestImage into an HTML report, summaries and badges, and enforces the thresholds")
        .DependsOn(Test, TestImage)
        .Requires(Tools.DotNetLocalTools)
        .InputFiles("artifacts/coverage/**/coverage.cobertura.xml", "dotnet-tools.json")
        .InputValue(() => CoverageLineThreshold)
        .InputValue(() => CoverageBranchThreshold)
        .InputTool("dotnet", "--version")
        .Outputs("artifacts/coverage-report")
        .WhenRestored(AppendCoverageJobSummary)
        .Executes(async cancellationToken =>
        {
            // The gate measures what ships (the service) and the engine; the build definition gets its own figure.
            var report = new CoverageReport(Processes);
            var summary = await report.GenerateAsync(CoverageDirectory, CoverageReportDirectory, RootDirectory, cancellationToken, assemblyFilters: $"-{BuildDefinitionAssembly}");
            var buildDefinition = await report.GenerateAsync(
                CoverageDirectory, CoverageReportDirectory / "build-definition", RootDirectory, cancellationToken, assemblyFilters: $"+{BuildDefinitionAssembly}", reportTypes: CoverageReport.FiguresOnly);

            ReportSummary("Line coverage", CoverageSummary.Format(summary.LinePercent));
            ReportSummary("Branch coverage", CoverageSummary.Format(summary.BranchPercent));
            Log.Information($"Coverage: {summary} ({string.Join("; ", summary.Assemblies)}); report in {(CoverageReportDirectory / "index.html").RelativeTo(RootDirectory)}");
            if (buildDefinition.LinesValid > 0)
            {
                ReportSummary("Build definition", CoverageSummary.Format(buildDefinition.LinePercent));
                Log.Information($"Build definition ({BuildDefinitionAssembly}, not gated): {buildDefinition}");
            }

            AppendCoverageJobSummary();

            var violations = new CoverageThresholds(CoverageLineThreshold, CoverageBranchThreshold).Violations(summary);
            if (violations.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", violations));
            }
        });

    void AppendCoverageJobSummary()
    {
        var markdown = CoverageReport.MarkdownSummary(CoverageReportDirectory);
        if (File.Exists(markdown))
        {
            Host.AppendJobSummary(File.ReadAllText(markdown));
        }
    }
}
