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

    AbsolutePath CoverageReportDirectory => ArtifactsDirectory / "coverage-report";

    Target Coverage => _ => _
        .Description("Turns Test's coverage into an HTML report, summaries and badges, and enforces the thresholds")
        .DependsOn(Test)
        .Requires(Tools.DotNetLocalTools)
        .Executes(async cancellationToken =>
        {
            var summary = await new CoverageReport(Processes).GenerateAsync(CoverageDirectory, CoverageReportDirectory, RootDirectory, cancellationToken);

            ReportSummary("Line coverage", CoverageSummary.Format(summary.LinePercent));
            ReportSummary("Branch coverage", CoverageSummary.Format(summary.BranchPercent));
            Log.Information($"Coverage: {summary}; report in {(CoverageReportDirectory / "index.html").RelativeTo(RootDirectory)}");
            var markdown = CoverageReport.MarkdownSummary(CoverageReportDirectory);
            if (File.Exists(markdown))
            {
                Host.AppendJobSummary(await File.ReadAllTextAsync(markdown, cancellationToken));
            }

            var violations = new CoverageThresholds(CoverageLineThreshold, CoverageBranchThreshold).Violations(summary);
            if (violations.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", violations));
            }
        });
}
