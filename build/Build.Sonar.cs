using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Processes;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    [Parameter("SonarQube server URL, e.g. https://sonarcloud.io; without it (and a token) Sonar is skipped")]
    readonly string? SonarHostUrl;

    [Parameter("SonarQube token; handed to the scanner in its environment (SONARQUBE_SCANNER_PARAMS), never on a command line")]
    [Secret]
    readonly string? SonarToken;

    [Parameter("SonarQube project key")]
    readonly string SonarProjectKey = "example-service";

    [Parameter("SonarQube Cloud organization (not needed for a self-hosted SonarQube server)")]
    readonly string? SonarOrganization;

    [Parameter("Send branch and pull-request parameters (SonarQube Cloud, Developer Edition and above; Community Edition rejects them)")]
    readonly bool SonarBranchAnalysis = true;

    bool sonarAnalysisStarted;

    bool SonarConfigured => SonarSettings.SkipReason(SonarHostUrl, SonarToken) is null;

#pragma warning disable S3236 // The condition's source text would not tell the reader what to set; the reason does.

    /// <summary>Begin must precede the build: the scanner hooks its analyzers into every MSBuild run in between.</summary>
    Target SonarBegin => _ => _
        .Description("Starts SonarQube analysis (dotnet-sonarscanner begin) before Compile")
        .Unlisted()
        .Before(Compile)
        .DependentFor(Sonar)
        .OnlyWhenStatic(() => SonarConfigured, SonarSkipReason)
        .Requires(Tools.DotNetLocalTools)
        .Executes(async cancellationToken =>
        {
            var serverVersion = await SonarServer.ProbeAsync(SonarHostUrl!, SonarServer.DefaultTimeout, cancellationToken);
            Log.Information($"SonarQube {serverVersion} at {SonarHostUrl}");
            await SonarScannerAsync(SonarSettingsForThisBuild().BeginArguments(), cancellationToken);
            sonarAnalysisStarted = true;
        });

    Target Sonar => _ => _
        .Description("Sends Compile's and Test's analysis to SonarQube and waits for the quality gate")
        .DependsOn(Test)
        .OnlyWhenStatic(() => SonarConfigured, SonarSkipReason)
        .Requires(Tools.DotNetLocalTools)
        .Executes(async cancellationToken =>
        {
            if (!sonarAnalysisStarted)
            {
                // The scanner's own words for this are a line about a missing .sonarqube folder and exit code 1.
                throw new InvalidOperationException(
                    "SonarQube analysis did not begin in this build (SonarBegin was skipped), so there is nothing to send: "
                    + "run './build.sh Sonar' without --skip, or with --skip naming targets other than SonarBegin, Compile and Test.");
            }

            var end = await SonarScannerAsync(["end"], cancellationToken, allowFailure: true);
            var status = QualityGate.Status(end.Output.Select(line => line.Text));
            ReportSummary("Quality gate", status ?? "unknown");
            var dashboard = $"{SonarHostUrl!.TrimEnd('/')}/dashboard?id={Uri.EscapeDataString(SonarProjectKey)}";
            if (status is not null && !QualityGate.Passed(status))
            {
                throw new InvalidOperationException($"SonarQube quality gate failed (status {status}): see {dashboard}");
            }

            if (end.ExitCode != 0)
            {
                throw new InvalidOperationException($"SonarQube analysis failed: dotnet-sonarscanner end exited with code {end.ExitCode}; see the output above.");
            }

            Log.Information($"Quality gate {status ?? "not reported"}: {dashboard}");
        });

#pragma warning restore S3236

    static readonly string SonarSkipReason = SonarSettings.SkipReason(hostUrl: null, token: null)!;

    SonarSettings SonarSettingsForThisBuild()
    {
        var pullRequest = SonarBranchAnalysis ? Host.PullRequestNumber : null;
        return new SonarSettings(
            SonarHostUrl!,
            SonarProjectKey,
            SonarOrganization,
            Version.SemVer,
            OpenCoverReports: $"{CoverageDirectory.RelativeTo(RootDirectory)}/**/coverage.opencover.xml",
            TestReports: $"{TestResultsDirectory.RelativeTo(RootDirectory)}/**/*.trx")
        {
            Branch = SonarBranchAnalysis && IsServerBuild ? Host.Branch : null,
            PullRequestKey = pullRequest,
            PullRequestBranch = pullRequest is null ? null : Host.Branch,
            PullRequestBase = pullRequest is null ? null : PullRequestBaseBranch(),
        };
    }

    /// <summary>The branch a pull request merges into; the CI host abstraction does not carry it.</summary>
    static string? PullRequestBaseBranch()
        => Environment.GetEnvironmentVariable("GITHUB_BASE_REF") is { Length: > 0 } github
            ? github
            : Environment.GetEnvironmentVariable("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");

    Task<ProcessResult> SonarScannerAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var (executable, scannerArguments) = DotNetLocalTools.Command("dotnet-sonarscanner", [.. arguments]);
        return Processes.RunAsync(executable, scannerArguments, new ProcessOptions
        {
            WorkingDirectory = RootDirectory,
            Environment = SonarSettings.ScannerEnvironment(SonarToken!, Environment.GetEnvironmentVariable(SonarSettings.ScannerParametersVariable)),
            AllowNonZeroExitCode = allowFailure,
        }, cancellationToken);
    }
}
