using Build.Tests.Delivery.Docker;
using ExampleService.Build.Quality;
using TypedBuild;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The committed workflow's jobs of a push to <c>develop</c>, up to the cluster, run step by step as a hosted runner
/// runs them (<see cref="GitHubRunnerContainers"/>): non-root, passwordless sudo, the runner's engine. In
/// <see cref="TestSuite.CiJobProof"/>.
/// </summary>
[Trait(TestSuite.CategoryTrait, TestSuite.CiJobProof)]
[Collection(JobContainersProof.Name)]
public sealed class GitHubRunnerContainerTests(JobContainersFixture fixture)
{
    [DockerFact]
    public async Task A_push_to_develop_runs_green_as_the_runner_user()
    {
        // The repository secrets a team sets; empty ones are unset for the build.
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOCKER_REGISTRY"] = fixture.Registry.Address,
        };
        var work = AbsolutePath.Create(Directory.CreateTempSubdirectory("github-jobs-").FullName);
        Directory.CreateDirectory(work / "artifacts");
        try
        {
            var jobs = GitHubRunnerContainers.JobsBeforeTheCluster(CiValidatorsFixture.Root);
            Assert.Contains(jobs, job => job.Name == "quality");

            var runs = new List<GitHubJobRun>();
            foreach (var job in jobs)
            {
                var run = await fixture.GitHub.RunAsync(CiValidatorsFixture.Root, "develop", job, secrets, work / "artifacts", work, TimeSpan.FromMinutes(45));
                runs.Add(run);
                var report = string.Join('\n', runs.SelectMany(r => r.Steps).Select(s => s.ToString()));
                Assert.True(run.Succeeded, $"{job.Name} failed:\n{report}\n\n{string.Join('\n', run.Steps.Count == 0 ? [] : run.Steps[^1].Result.OutputTail)}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
