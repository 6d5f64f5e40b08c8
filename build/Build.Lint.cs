using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>Problems per kind of check, filled by <see cref="ReportLintProblems"/> and totalled by Lint.</summary>
    readonly SortedDictionary<string, int> lintProblemCounts = new(StringComparer.Ordinal);

    static readonly AptPackage ShellCheck = new("shellcheck", "shellcheck");

    AbsolutePath LintDirectory => ArtifactsDirectory / "lint";

    /// <summary>
    /// Every file LintShell could check: it lists the scripts with git (tracked, or untracked and not ignored), so a
    /// file git ignores is at most an input too many, a miss that costs a run, never a script left out of the key.
    /// </summary>
    static readonly string[] ShellScripts =
    [
        "**/*.sh", ".ci/run", ".gitignore",
        "!.git/**", "!.tools/**", "!.nuke/**", "!**/node_modules/**", "!**/bin/**", "!**/obj/**", "!artifacts/**",
    ];

    /// <summary>
    /// Every check runs before Lint (<c>DependsOn</c> here, <c>.DependentFor(Lint)</c> in other concerns, such as helm
    /// lint) and records its problems instead of failing, so one run lists every problem; Lint totals them and fails.
    /// Lint proceeds after a failure so that a style problem never hides the test results of the same run.
    /// </summary>
    Target Lint => _ => _
        .Description("Checks formatting, analyzers, shell scripts (and every check declared DependentFor Lint)")
        .DependsOn(LintFormat, LintAnalyzers, LintShell)
        .ProceedAfterFailure()
        .Executes(() =>
        {
            // Lint runs after every check: nothing writes the counts any more.
            var total = lintProblemCounts.Values.Sum();
            var counts = string.Join(", ", lintProblemCounts.Select(p => $"{p.Key} {p.Value}"));
            ReportSummary("Problems", $"{total} ({counts})");
            if (total > 0)
            {
                throw new InvalidOperationException($"Lint found {total} problem{(total == 1 ? "" : "s")} ({counts}); each is listed above with its file and line.");
            }

            Log.Information($"Lint: no problems ({counts})");
        });

    Target LintFormat => _ => _
        .Description("dotnet format --verify-no-changes: whitespace, style and analyzer diagnostics at error severity")
        .Unlisted()
        .NeedsAlone(SolutionBuildOutput, DotnetCores)
        .ProceedAfterFailure()
        .InputFiles(SolutionSources)
        .InputTool("dotnet", "--version")
        .Outputs("artifacts/lint/format-report.json", LintProblemsFile.PathOf(DotNetFormatReport.Kind))
        .WhenRestored(() => RestoreLintProblems(DotNetFormatReport.Kind))
        .Executes(async cancellationToken =>
            ReportLintProblems(DotNetFormatReport.Kind, await new FormatCheck(Processes).RunAsync(Solution, LintDirectory, RootDirectory, cancellationToken)));

    Target LintAnalyzers => _ => _
        .Description("Reports the .NET and SonarAnalyzer warnings of Compile (on CI they already fail Compile)")
        .Unlisted()
        .DependsOn(Compile)
        .ProceedAfterFailure()
        .Executes(() => ReportLintProblems(BuildDiagnostic.Kind, [.. compileDiagnostics.Where(d => !d.IsError).Select(d => d.ToLintProblem())]));

    Target LintShell => _ => _
        .Description("shellcheck on every shell script of the repository (*.sh and .ci/run; git-ignored files excepted)")
        .Unlisted()
        .Requires(ShellCheck)
        .ProceedAfterFailure()
        .InputFiles(ShellScripts)
        .InputTool("shellcheck", "--version")
        .Outputs(LintProblemsFile.PathOf(ShellCheckOutput.Kind))
        .WhenRestored(() => RestoreLintProblems(ShellCheckOutput.Kind))
        .Executes(async cancellationToken =>
        {
            var listed = await Processes.RunAsync(
                "git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.sh", ".ci/run"],
                new() { WorkingDirectory = RootDirectory, LogOutput = false }, cancellationToken);
            var scripts = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Where(file => File.Exists(RootDirectory / file)).ToList();
            if (scripts.Count == 0)
            {
                ReportLintProblems(ShellCheckOutput.Kind, []);
                return;
            }

            var result = await Processes.RunAsync("shellcheck", ["-f", "gcc", .. scripts], new() { WorkingDirectory = RootDirectory, LogOutput = false, AllowNonZeroExitCode = true }, cancellationToken);
            if (result.ExitCode > 1)
            {
                throw new InvalidOperationException($"shellcheck exited with code {result.ExitCode}: {result.StandardError}");
            }

            ReportLintProblems(ShellCheckOutput.Kind, ShellCheckOutput.Parse(result.Output.Select(line => line.Text)));
        });

    /// <summary>
    /// Logs each problem as an error at its file and line (an annotation on GitHub and GitLab) and records the count
    /// for the running check's row and for Lint, which fails when there is any. Lint checks of other concerns use it too.
    /// </summary>
    void ReportLintProblems(string kind, IReadOnlyList<LintProblem> problems)
    {
        ReportSummary("Problems", problems.Count.ToString(CultureInfo.InvariantCulture));
        LintProblemsFile.Save(RootDirectory / LintProblemsFile.PathOf(kind), problems);
        RecordLintProblems(kind, problems);
    }

    /// <summary>A cached check's problems, from the file its entry restored.</summary>
    void RestoreLintProblems(string kind) => RecordLintProblems(kind, LintProblemsFile.Load(RootDirectory / LintProblemsFile.PathOf(kind)));

    /// <summary>The same without the summary note: a check restored from the cache has its note replayed already.</summary>
    void RecordLintProblems(string kind, IReadOnlyList<LintProblem> problems)
    {
        // Checks run at once with --parallel.
        lock (lintProblemCounts)
        {
            lintProblemCounts[kind] = problems.Count;
        }

        foreach (var problem in problems)
        {
            Log.Error(problem.ToString(), problem.File, problem.Line);
        }
    }
}
