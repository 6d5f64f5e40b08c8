using System.Globalization;
using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>Makes the Debian root filesystems of the stand-ins for public images that cannot be pulled here.</summary>
    static readonly AptPackage Debootstrap = new("debootstrap", "debootstrap");

    AbsolutePath CiJobProofDirectory => ArtifactsDirectory / "ci-job-proof";

    /// <summary>
    /// Its own target (and results folder), not part of Test: the proof runs the quality job, which runs Test, so a
    /// Test that held the proof would start it again inside the job container.
    /// </summary>
    Target ProveCiJobs => _ => _
        .Description("Runs the generated GitLab jobs of a push to develop (up to the cluster) in their images with gitlab-ci-local's docker executor")
        .DependsOn(Compile)
        .Requires(IsServerBuild ? [Tools.Docker, Tools.Rsync, Debootstrap] : [])
        .Executes(async cancellationToken =>
        {
            var project = RootDirectory / "tests" / "Build.Tests" / "Build.Tests.csproj";
            var options = new TestRunOptions(project, Configuration.ToString(), CiJobProofDirectory / "test-results", CiJobProofDirectory / "coverage", RootDirectory / "build" / "coverage.runsettings")
            {
                Environment = IsServerBuild ? new Dictionary<string, string?> { ["CI"] = "true" } : new Dictionary<string, string?>(),
                Filter = $"Category={TestCategories.CiJobProof}",
            };
            var summary = await new TestRun(Processes).RunAsync(options, cancellationToken);

            ReportSummary("Passed", summary.Passed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Failed", summary.Failed.ToString(CultureInfo.InvariantCulture));
            ReportSummary("Skipped", summary.Skipped.ToString(CultureInfo.InvariantCulture));
            summary.Failures.ToList().ForEach(failure => Log.Error($"FAILED {failure}"));
            if (!summary.Succeeded)
            {
                throw new InvalidOperationException(summary.FailureMessage());
            }
        });
}
