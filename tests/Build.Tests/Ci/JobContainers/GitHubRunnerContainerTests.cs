using Build.Tests.Delivery.Docker;
using ExampleService.Build.Quality;
using TypedBuild;
using Xunit.Abstractions;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The committed workflow's jobs of a push to <c>develop</c>, up to the cluster, run step by step as a hosted runner
/// runs them (<see cref="GitHubRunnerContainers"/>): non-root, passwordless sudo, the runner's engine. In
/// <see cref="TestSuite.CiJobProof"/>.
/// </summary>
[Trait(TestSuite.CategoryTrait, TestSuite.CiJobProof)]
[Collection(JobContainersProof.Name)]
public sealed class GitHubRunnerContainerTests(JobContainersFixture fixture, ITestOutputHelper output)
{
    [DockerFact]
    public async Task A_push_to_develop_runs_green_as_the_runner_user()
    {
        // The repository secrets a team sets; empty ones are unset for the build.
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOCKER_REGISTRY"] = fixture.Registry.Address,
            ["TYPEDBUILD_CACHE_REGISTRY"] = fixture.CacheRegistry,
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
                var run = await fixture.GitHub.RunAsync(CiValidatorsFixture.Root, "develop", job, secrets, work / "artifacts", work / "actions-cache", work, TimeSpan.FromMinutes(45));
                runs.Add(run);
                run.Steps.ToList().ForEach(step => output.WriteLine(string.Join('\n', [step.ToString(), .. BuildSummary.From(step.Result.OutputTail)])));
                var report = string.Join('\n', runs.SelectMany(r => r.Steps).Select(s => s.ToString()));
                var failed = run.Steps.FirstOrDefault(step => !step.Result.Succeeded);
                Assert.True(run.Succeeded, $"{job.Name} failed (every step's log is kept in {work}):\n{report}\n\n{failed?.Step} ends:\n{string.Join('\n', failed?.Result.OutputTail ?? [])}");
            }

            Directory.Delete(work, recursive: true);
        }
        catch (Exception) when (Directory.Exists(work / "artifacts"))
        {
            // The logs of a failed run stay for whoever reads the failure; the artifacts and caches are the bulk.
            Directory.Delete(work / "artifacts", recursive: true);
            if (Directory.Exists(work / "actions-cache"))
            {
                Directory.Delete(work / "actions-cache", recursive: true);
            }

            throw;
        }
    }
}
