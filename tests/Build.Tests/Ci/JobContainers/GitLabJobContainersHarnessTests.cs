using TypedBuild;

namespace Build.Tests.Ci.JobContainers;

/// <summary>The proof's harness reads the pipeline and gitlab-ci-local's output as they are (no containers needed).</summary>
public sealed class GitLabJobContainersHarnessTests(CiValidatorsFixture validators) : IClassFixture<CiValidatorsFixture>
{
    private static readonly string[] QualityFailed =
    [
        "quality starting mcr.microsoft.com/dotnet/sdk:10.0 (quality)",
        "quality copied to docker volumes in 2.95 s",
        "quality $ ./build.sh Test Lint Sonar",
        "quality > ERR Missing tools, nothing was run:",
        "quality finished in 2.43 min  FAIL 1 ",
        "package starting 127.0.0.1:5000/example-service-ci:0123abcd (package)",
        "package finished in 41 s",
    ];

    [Fact]
    public async Task A_push_to_develop_runs_every_job_before_the_cluster()
    {
        var runner = new GitLabJobContainers(validators);
        var clone = await runner.CloneAsync(CiValidatorsFixture.Root, "develop");
        try
        {
            var jobs = await runner.JobsBeforeTheClusterAsync(clone);

            Assert.Contains("quality", jobs);
            Assert.DoesNotContain(jobs, job => job.StartsWith("deploy-", StringComparison.Ordinal) || job.StartsWith("rollback-", StringComparison.Ordinal));
        }
        finally
        {
            GitLabJobContainers.Delete(clone);
        }
    }

    [Fact]
    public void A_job_runs_in_its_own_image_else_the_default_with_variables_expanded()
    {
        var clone = AbsolutePath.Create(Directory.CreateTempSubdirectory("gitlab-images-").FullName);
        try
        {
            File.WriteAllText(clone / ".gitlab-ci.yml", """
                default:
                  image: mcr.microsoft.com/dotnet/sdk:10.0
                variables:
                  CI_IMAGE_TAG: 0123abcd
                quality:
                  script: [./build.sh Test]
                package:
                  image:
                    name: ${DOCKER_REGISTRY}/example-service-ci:$CI_IMAGE_TAG
                  script: [./build.sh Push]
                """);
            var variables = new Dictionary<string, string> { ["DOCKER_REGISTRY"] = "127.0.0.1:5000" };

            Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", GitLabJobContainers.ImageNamedFor(clone, "quality", variables));
            Assert.Equal("127.0.0.1:5000/example-service-ci:0123abcd", GitLabJobContainers.ImageNamedFor(clone, "package", variables));
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    [Fact]
    public void A_job_result_has_the_image_it_started_in_and_its_exit_code()
    {
        var state = AbsolutePath.Create(Directory.CreateTempSubdirectory("gitlab-state-").FullName);
        try
        {
            Directory.CreateDirectory(state / "output");
            File.WriteAllLines(state / "output" / "quality.log", ["Compiling the build", "ERR Missing tools, nothing was run:"]);

            var quality = GitLabJobContainers.JobResult(state, "quality", QualityFailed);
            var package = GitLabJobContainers.JobResult(state, "package", QualityFailed);
            var coverage = GitLabJobContainers.JobResult(state, "coverage", QualityFailed);

            Assert.Equal(("mcr.microsoft.com/dotnet/sdk:10.0", 1, "2.43 min", false), (quality.Image, quality.ExitCode, quality.Duration, quality.Succeeded));
            Assert.Equal("ERR Missing tools, nothing was run:", quality.LogTail[^1]);
            Assert.Equal(("127.0.0.1:5000/example-service-ci:0123abcd", 0, "41 s", true), (package.Image, package.ExitCode, package.Duration, package.Succeeded));
            Assert.Equal((null, null, false), (coverage.Image, coverage.ExitCode, coverage.Succeeded));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
