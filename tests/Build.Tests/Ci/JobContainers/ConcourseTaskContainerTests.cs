using Build.Tests.Delivery.Docker;
using ExampleService.Build.Quality;
using TypedBuild;
using Xunit.Abstractions;

namespace Build.Tests.Ci.JobContainers;

/// <summary>
/// The committed Concourse pipeline's <c>develop</c> line, up to the cluster, task by task in the images, inputs,
/// params and privileges it declares (<see cref="ConcourseTaskContainers"/>). In <see cref="TestSuite.CiJobProof"/>.
/// </summary>
[Trait(TestSuite.CategoryTrait, TestSuite.CiJobProof)]
[Collection(JobContainersProof.Name)]
public sealed class ConcourseTaskContainerTests(JobContainersFixture fixture, ITestOutputHelper output)
{
    [DockerFact]
    public async Task The_develop_line_runs_green_task_by_task_in_the_declared_containers()
    {
        // What a team sets with fly set-pipeline (-v / a credential manager); empty values are unset for the build.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["docker-registry"] = fixture.Registry.Address,
            ["registry-username"] = string.Empty,
            ["registry-password"] = string.Empty,
            ["slack-webhook-url"] = string.Empty,
            ["sonar-host-url"] = string.Empty,
            ["sonar-token"] = string.Empty,
            ["typedbuild-cache-registry"] = fixture.CacheRegistry,
            ["typedbuild-cache-registry-username"] = string.Empty,
            ["typedbuild-cache-registry-password"] = string.Empty,
            ["concourse-team"] = "main",
        };
        var work = AbsolutePath.Create(Directory.CreateTempSubdirectory("concourse-tasks-").FullName);
        try
        {
            var jobs = ConcourseTaskContainers.JobsBeforeTheCluster(CiValidatorsFixture.Root, "develop");
            Assert.Contains(jobs, job => job.Name == "coverage-develop");

            var runs = new List<ConcourseJobRun>();
            foreach (var job in jobs)
            {
                var run = await fixture.Concourse.RunAsync(CiValidatorsFixture.Root, "develop", job, variables, work, TimeSpan.FromMinutes(45));
                runs.Add(run);
                run.Tasks.ToList().ForEach(task => output.WriteLine(string.Join('\n', [task.ToString(), .. BuildSummary.From(task.Result.OutputTail)])));
                var report = string.Join('\n', runs.SelectMany(r => r.Tasks).Select(t => t.ToString()));
                var last = run.Tasks.Count == 0 ? null : run.Tasks[^1];
                Assert.True(run.Succeeded || (job.StopsBeforeItsOwnTask && run.Tasks.All(t => t.Result.Succeeded)), $"{job.Name} failed:\n{report}\n\n{string.Join('\n', last?.Result.OutputTail ?? [])}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
