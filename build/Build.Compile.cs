using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>Compiler and analyzer diagnostics of the last Compile, for the Lint summary.</summary>
    IReadOnlyList<BuildDiagnostic> compileDiagnostics = [];

    /// <summary>Planned by Lint, and by whatever pulls Lint in (Deploy), not only when invoked by name.</summary>
    bool LintAnalyzersPlanned => IsPlanned(LintAnalyzers);

    /// <summary>
    /// The solution's <c>obj/</c> folders: restore, build, format and publish all write them, so with <c>--parallel</c>
    /// only one of them runs at a time (tests run <c>--no-build</c> and may run beside them).
    /// </summary>
    static readonly BuildResource SolutionBuildOutput = new("the solution's obj/ folders");

    /// <summary>
    /// The cores, for the solution-wide dotnet processes (build, test, format, publish): each keeps about two cores
    /// busy, so on a 2-core machine a second one beside it only makes both slower (measured: the default parallelism
    /// took 110% of --parallel 1 while Test and LintFormat shared the cores). Light targets still run beside them.
    /// </summary>
    static readonly BuildResource DotnetCores = BuildResource.Cores("the cores, for solution-wide dotnet processes", coresPerHolder: 2);

    bool WarningsAreErrors => IsServerBuild || Configuration == Configuration.Release;

    /// <summary>
    /// What the solution's build, tests and format check read: every project's sources and settings, the SDK pin, the
    /// version and the tool manifest. Build output, test results and local data are not sources.
    /// </summary>
    static readonly string[] SolutionSources =
    [
        "src/**", "tests/**", "build/**", "ExampleService.sln", "Directory.*.props", ".editorconfig", "global.json", "dotnet-tools.json", "version.txt",
        "!**/bin/**", "!**/obj/**", "!**/TestResults/**", "!**/node_modules/**", "!src/ExampleService/data/**", "!**/*.db*",
    ];

    /// <summary>Compile's diagnostics, kept for LintAnalyzers when Compile is restored from the cache instead of run.</summary>
    const string CompileOutputLog = ".nuke/temp/compile-output.log";

    Target Compile => _ => _
        .Description("Restores and builds the solution with the build version; warnings are errors on CI and in Release")
        .NeedsAlone(SolutionBuildOutput, DotnetCores)
        .InputFiles(SolutionSources)
        .InputValue(() => CompileCommand)
        .InputTool("dotnet", "--version")
        .OutputsKeptInPlace("src/*/bin/**", "tests/*/bin/**", "build/bin/**")
        .Outputs(CompileOutputLog)
        // The scanner hooks into every compiler run between begin and end: a restored build would give it nothing.
        .CachedOnlyWhen(() => !sonarAnalysisStarted)
        .WhenRestored(() => compileDiagnostics = BuildDiagnostics.Parse(File.ReadAllLines(RootDirectory / CompileOutputLog), RootDirectory))
        .Executes(async cancellationToken =>
        {
            ReportSummary("Version", Version.InformationalVersion);
            Log.Information($"Building {Solution.Name} {Version.InformationalVersion} ({Configuration})");

            await DotNetAsync(["restore", Solution], cancellationToken);
            var build = await DotNetAsync(CompileArguments(), cancellationToken, allowFailure: true);
            Directory.CreateDirectory((RootDirectory / CompileOutputLog).Parent);
            await File.WriteAllLinesAsync(RootDirectory / CompileOutputLog, build.Output.Select(line => line.Text), cancellationToken);

            compileDiagnostics = BuildDiagnostics.Parse(build.Output.Select(line => line.Text), RootDirectory);
            var errors = compileDiagnostics.Where(d => d.IsError).ToList();
            var warnings = compileDiagnostics.Where(d => !d.IsError).ToList();
            errors.ForEach(d => Log.Error($"{d.Code}: {d.Message}", d.File, d.Line));
            warnings.ForEach(d => Log.Warning($"{d.Code}: {d.Message}", d.File, d.Line));
            ReportSummary("Warnings", warnings.Count.ToString(CultureInfo.InvariantCulture));

            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException(errors.Count == 0
                    ? $"dotnet build exited with code {build.ExitCode}; see the output above."
                    : $"Build failed with {errors.Count} error(s); first: {errors[0]}");
            }
        });

    /// <summary>The compile command without the checkout's location, so that every clone computes the same cache key.</summary>
    string CompileCommand => KeyOf(CompileArguments());

    /// <summary>
    /// The compile command as the tests see it, an input of Test and TestImage: without the version stamp, which holds
    /// the CI build number, so two pipelines of one commit (a retry, or two CI systems on one registry) would otherwise
    /// never share a result, as Bazel keeps its volatile stamp out of action keys; and without --no-incremental, which
    /// changes how the binaries are built, not what they are.
    /// </summary>
    string TestedCompileCommand => KeyOf(CompileArguments().Where(argument =>
        !argument.StartsWith("-p:Version=", StringComparison.Ordinal)
        && !argument.StartsWith("-p:InformationalVersion=", StringComparison.Ordinal)
        && argument != "--no-incremental"));

    string KeyOf(IEnumerable<string> arguments) => string.Join(' ', arguments).Replace(RootDirectory + "/", string.Empty, StringComparison.Ordinal);

    IReadOnlyList<string> CompileArguments() =>
    [
        "build", Solution,
        "--no-restore",
        "--configuration", Configuration.ToString(),
        "-nologo",
        $"-p:Version={Version.SemVer}",
        $"-p:InformationalVersion={Version.InformationalVersion}",
        // The SDK would append the full commit hash to the informational version a second time.
        "-p:IncludeSourceRevisionInInformationalVersion=false",
        .. IsServerBuild ? ["-p:ContinuousIntegrationBuild=true", "-p:Deterministic=true"] : Array.Empty<string>(),
        .. WarningsAreErrors ? ["-p:TreatWarningsAsErrors=true"] : Array.Empty<string>(),
        // Analyzers only report on what is compiled: SonarQube needs every project compiled between begin and end,
        // and Lint needs every diagnostic, which an incremental build does not repeat for up-to-date projects.
        .. sonarAnalysisStarted || LintAnalyzersPlanned ? ["--no-incremental"] : Array.Empty<string>(),
    ];

    Task<ProcessResult> DotNetAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
        => Processes.RunAsync("dotnet", arguments, new ProcessOptions
        {
            WorkingDirectory = RootDirectory,
            AllowNonZeroExitCode = allowFailure,
        }, cancellationToken);
}
