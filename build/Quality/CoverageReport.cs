using TypedBuild.Processes;
using TypedBuild.Provisioning;

namespace ExampleService.Build.Quality;

/// <summary>
/// Turns the Cobertura files of a test run into one report with ReportGenerator (the local dotnet tool): HTML, merged
/// Cobertura, text and GitHub Markdown summaries and badges.
/// </summary>
public sealed class CoverageReport(IProcessRunner processes)
{
    public const string FullReport = "Html;Cobertura;TextSummary;MarkdownSummaryGithub;Badges";

    /// <summary>Just the merged Cobertura file and the text summary: figures without the HTML pages.</summary>
    public const string FiguresOnly = "Cobertura;TextSummary";

    /// <summary>
    /// Generates the report and returns the merged figures. Runs in the tool directory, at or below the tool
    /// manifest, where <c>dotnet tool run</c> finds reportgenerator. The assembly filters are ReportGenerator's,
    /// e.g. <c>-_build</c> (all but one assembly) or <c>+_build</c> (only that one).
    /// </summary>
    public async Task<CoverageSummary> GenerateAsync(
        string coverageDirectory,
        string reportDirectory,
        string toolDirectory,
        CancellationToken cancellationToken,
        string assemblyFilters = "+*",
        string reportTypes = FullReport)
    {
        var reports = Directory.Exists(coverageDirectory)
            ? Directory.GetFiles(coverageDirectory, "coverage.cobertura.xml", SearchOption.AllDirectories)
            : [];
        if (reports.Length == 0)
        {
            throw new InvalidOperationException(
                $"No coverage results (coverage.cobertura.xml) under {coverageDirectory}: run the Test target first, " +
                "e.g. ./build.sh Test Coverage.");
        }

        if (Directory.Exists(reportDirectory))
        {
            Directory.Delete(reportDirectory, recursive: true);
        }

        var (executable, arguments) = DotNetLocalTools.Command("reportgenerator", [.. Arguments(reports, reportDirectory, reportTypes, assemblyFilters)]);
        await processes.RunAsync(executable, arguments, new ProcessOptions
        {
            WorkingDirectory = toolDirectory,
            LogOutput = false,
        }, cancellationToken);

        return CoverageSummary.ReadCobertura(Path.Combine(reportDirectory, "Cobertura.xml"));
    }

    /// <summary>The arguments of the <c>reportgenerator</c> command.</summary>
    public static IReadOnlyList<string> Arguments(IEnumerable<string> reports, string reportDirectory, string reportTypes, string assemblyFilters) =>
    [
        $"-reports:{string.Join(';', reports)}",
        $"-targetdir:{reportDirectory}",
        $"-reporttypes:{reportTypes}",
        $"-assemblyfilters:{assemblyFilters}",
        "-verbosity:Warning",
    ];

    public static string MarkdownSummary(string reportDirectory) => Path.Combine(reportDirectory, "SummaryGithub.md");

    public static string TextSummary(string reportDirectory) => Path.Combine(reportDirectory, "Summary.txt");
}
