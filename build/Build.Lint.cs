using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>Problem counts per kind of check, filled by <see cref="ReportLintProblems"/> for Lint's summary.</summary>
    readonly SortedDictionary<string, int> lintProblemCounts = new(StringComparer.Ordinal);

    AbsolutePath LintDirectory => ArtifactsDirectory / "lint";

    /// <summary>
    /// Every check runs before Lint (<c>DependsOn</c> here, <c>.DependentFor(Lint)</c> in other concerns, such as helm
    /// lint) and keeps going after a failure, so one run lists every problem. Lint itself totals them.
    /// </summary>
    Target Lint => _ => _
        .Description("Checks formatting, analyzers, shell scripts (and every check declared DependentFor Lint)")
        .DependsOn(LintFormat, LintAnalyzers, LintShell)
        .Executes(() =>
        {
            ReportSummary("Problems", string.Join(", ", lintProblemCounts.Select(p => $"{p.Key} {p.Value}")));
            Log.Information($"Lint: {lintProblemCounts.Values.Sum()} problems");
        });

    Target LintFormat => _ => _
        .Description("dotnet format --verify-no-changes: whitespace, style and analyzer diagnostics at error severity")
        .Unlisted()
        .ProceedAfterFailure()
        .Executes(async cancellationToken =>
            ReportLintProblems(DotNetFormatReport.Kind, await new FormatCheck(Processes).RunAsync(Solution, LintDirectory, RootDirectory, cancellationToken)));

    Target LintAnalyzers => _ => _
        .Description("Reports the .NET and SonarAnalyzer warnings of Compile (on CI they already fail Compile)")
        .Unlisted()
        .DependsOn(Compile)
        .ProceedAfterFailure()
        .Executes(() => ReportLintProblems("analyzers", [.. compileDiagnostics.Where(d => !d.IsError).Select(d => d.ToLintProblem())]));

    static readonly AptPackage ShellCheck = new("shellcheck", "shellcheck");

    Target LintShell => _ => _
        .Description("shellcheck on every shell script of the repository (*.sh and .ci/run; git-ignored files excepted)")
        .Unlisted()
        .Requires(ShellCheck)
        .ProceedAfterFailure()
        .Executes(async cancellationToken =>
        {
            var listed = await Processes.RunAsync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.sh", ".ci/run"], new() { WorkingDirectory = RootDirectory, LogOutput = false }, cancellationToken);
            var scripts = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(file => File.Exists(RootDirectory / file)).Distinct().ToList();
            if (scripts.Count == 0)
            {
                ReportLintProblems(ShellCheckOutput.Kind, []);
                return;
            }

            var result = await Processes.RunAsync("shellcheck", ["-f", "gcc", .. scripts], new() { WorkingDirectory = RootDirectory, LogOutput = false, AllowNonZeroExitCode = true }, cancellationToken);
            var problems = ShellCheckOutput.Parse(result.Output.Select(line => line.Text));
            if (result.ExitCode > 1)
            {
                throw new InvalidOperationException($"shellcheck exited with code {result.ExitCode}: {result.StandardError}");
            }

            ReportLintProblems(ShellCheckOutput.Kind, problems);
        });

    /// <summary>
    /// Logs each problem as an error at its file and line (an annotation on GitHub), records the count for Lint's
    /// summary, and fails the running target when there is any. Lint checks of other concerns use it too.
    /// </summary>
    void ReportLintProblems(string kind, IReadOnlyList<LintProblem> problems)
    {
        lintProblemCounts[kind] = problems.Count;
        ReportSummary("Problems", problems.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var problem in problems)
        {
            Log.Error($"{problem.File}:{problem.Line}: {problem.Code}: {problem.Message}", problem.File, problem.Line);
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{problems.Count} {kind} problem{(problems.Count == 1 ? "" : "s")}, first: {problems[0]}");
        }
    }
}
