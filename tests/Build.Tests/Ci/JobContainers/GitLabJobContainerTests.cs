using Build.Tests.Delivery.Docker;
using ExampleService.Build.Quality;
using Xunit.Abstractions;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The committed <c>.gitlab-ci.yml</c> run as GitLab would run it for a push to <c>develop</c>, up to the cluster:
/// each job in a container of the image the file names, with the runner configuration the README documents. In the
/// <see cref="TestSuite.CiJobProof"/> category, which <c>Test</c> leaves out (the quality job it proves runs
/// <c>Test</c> itself) and <c>ProveCiJobs</c> runs.
/// </summary>
[Trait(TestSuite.CategoryTrait, TestSuite.CiJobProof)]
[Collection(JobContainersProof.Name)]
public sealed class GitLabJobContainerTests(JobContainersFixture fixture, ITestOutputHelper output)
{
    [DockerFact]
    public async Task A_push_to_develop_runs_green_in_the_images_the_pipeline_names()
    {
        var runner = fixture.Runner;
        var clone = await runner.CloneAsync(CiValidatorsFixture.Root, "develop");
        try
        {
            // What a team sets as CI/CD variables; GITLAB_CI is what GitLab sets and gitlab-ci-local sets to false.
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["GITLAB_CI"] = "true",
                ["DOCKER_REGISTRY"] = fixture.Registry.Address,
                ["TYPEDBUILD_CACHE_REGISTRY"] = fixture.CacheRegistry,
            };
            var jobs = await runner.JobsBeforeTheClusterAsync(clone);
            Assert.Contains("quality", jobs);

            var run = await runner.RunAsync(clone, jobs, variables, TimeSpan.FromMinutes(90));

            var report = string.Join('\n', run.Jobs.Select(job => job.ToString()));
            output.WriteLine($"gitlab-ci-local ran {jobs.Count} jobs in {run.Duration.TotalMinutes:0.0} min:");
            run.Jobs.ToList().ForEach(job => output.WriteLine(string.Join('\n', [job.ToString(), .. BuildSummary.From(job.LogTail)])));
            foreach (var job in run.Jobs)
            {
                var failure = $"{job}\n{string.Join('\n', job.LogTail)}\n\nAll jobs:\n{report}\n\ngitlab-ci-local's output ends:\n{string.Join('\n', run.Output.Where(line => !line.EndsWith("> still running...", StringComparison.Ordinal)).TakeLast(15))}";
                Assert.True(job.Image == GitLabJobContainers.ImageNamedFor(clone, job.Name, variables), failure);
                Assert.True(job.Succeeded, failure);
            }

            Assert.True(run.ExitCode == 0, $"gitlab-ci-local exited with {run.ExitCode}:\n{report}");
        }
        finally
        {
            GitLabJobContainers.Delete(clone);
        }
    }
}
