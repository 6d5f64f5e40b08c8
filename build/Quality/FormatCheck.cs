using TypedBuild.Processes;

namespace ExampleService.Build.Quality;

/// <summary>
/// <c>dotnet format --verify-no-changes --severity error</c>: whitespace, code style and analyzer diagnostics at error
/// severity (plain <c>--verify-no-changes</c> also fails on every analyzer warning). Problems come from its JSON report.
/// </summary>
public sealed class FormatCheck(IProcessRunner processes)
{
    public async Task<IReadOnlyList<LintProblem>> RunAsync(
        string solution, string reportDirectory, string rootDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(reportDirectory);
        var report = Path.Combine(reportDirectory, "format-report.json");
        File.Delete(report);

        var result = await processes.RunAsync("dotnet", Arguments(solution, reportDirectory), new ProcessOptions
        {
            AllowNonZeroExitCode = true,
            WorkingDirectory = rootDirectory,
            // CI builds treat warnings as errors, which turns every analyzer warning into an error-severity finding
            // of dotnet format; doing the same everywhere makes a local Lint find what CI's would.
            Environment = new Dictionary<string, string?> { ["TreatWarningsAsErrors"] = "true" },
        }, cancellationToken);

        var problems = File.Exists(report) ? DotNetFormatReport.Parse(await File.ReadAllTextAsync(report, cancellationToken), rootDirectory) : [];
        if (result.ExitCode != 0 && problems.Count == 0)
        {
            throw new InvalidOperationException(
                $"dotnet format exited with code {result.ExitCode} without reporting a problem: see its output above " +
                "(a restore or project load error).");
        }

        return problems;
    }

    public static IReadOnlyList<string> Arguments(string solution, string reportDirectory) =>
        ["format", solution, "--verify-no-changes", "--severity", "error", "--report", reportDirectory];
}
