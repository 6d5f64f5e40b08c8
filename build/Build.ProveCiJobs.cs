using ExampleService.Build.Quality;
using TypedBuild;
using TypedBuild.Provisioning;

namespace ExampleService.Build;

partial class Build
{
    /// <summary>What the proof needs on CI: an engine for the job containers, debootstrap for the stand-in images, rsync for gitlab-ci-local.</summary>
    IToolRequirement[] JobProofTools =>
    [
        ImageTestEngine,
        new ServerBuildOnly(new AptPackage("debootstrap", "debootstrap")),
        new ServerBuildOnly(Tools.Rsync),
    ];

    /// <summary>
    /// Its own target, not part of Test or TestImage: the proof runs the jobs that run those, so a Test that held the
    /// proof would start it again inside the job container.
    /// </summary>
    Target ProveCiJobs => _ => _
        .Description("Runs the generated GitHub, GitLab and Concourse jobs of a push to develop (up to the cluster) in the containers their systems would run them in")
        .DependsOn(Compile)
        .After(Test, TestImage, Coverage, Lint)
        .NeedsAlone(DockerWork)
        .Requires(JobProofTools)
        .Executes(cancellationToken => RunTestSuiteAsync(nameof(ProveCiJobs), TestSuite.JobProofOnly, cancellationToken));
}
