using System.Security.Cryptography;
using Build.Tests.Delivery.Docker;
using TypedBuild;
using TypedBuild.Processes;
using YamlDotNet.RepresentationModel;

namespace Build.Tests.Ci.JobContainers;

/// <summary>The Concourse and GitHub proofs read the committed files as a worker and a runner would (no containers needed).</summary>
public sealed class JobProofHarnessTests
{
    [Fact]
    public void A_concourse_task_runs_in_its_image_with_its_inputs_params_and_the_socket_for_privilege()
    {
        var step = (YamlMappingNode)Yaml("""
            task: image-tests
            privileged: true
            config:
              image_resource:
                source: { repository: ((docker-registry))/example-service-ci, tag: "0123" }
              inputs: [{ name: repo-develop }]
              outputs: [{ name: repo-develop }]
              params: { CONCOURSE_JOB: ((.:job)), SLACK_WEBHOOK_URL: ((slack-webhook-url)) }
              run: { path: ./build.sh, args: [TestImage], dir: repo-develop }
            """);
        var checkout = AbsolutePath.Create("/tmp/checkout");
        var variables = new Dictionary<string, string> { ["docker-registry"] = "127.0.0.1:5000", [".:job"] = "coverage-develop", ["slack-webhook-url"] = string.Empty };

        var container = ConcourseTaskContainers.TaskContainer(step, new Dictionary<string, AbsolutePath> { ["repo-develop"] = checkout }, name => variables[name]);

        Assert.Equal("127.0.0.1:5000/example-service-ci:0123", container.Image);
        Assert.Equal($"{ConcourseTaskContainers.BuildDirectory}/repo-develop", container.WorkingDirectory);
        Assert.Equal(checkout, Assert.Single(container.Folders).Value);
        Assert.Equal("coverage-develop", container.Environment["CONCOURSE_JOB"]);
        Assert.True(container.BindsDockerSocket);
        var arguments = container.RunArguments();
        Assert.Contains($"{GitLabJobContainers.DockerSocket}:{GitLabJobContainers.DockerSocket}", arguments);
        Assert.DoesNotContain("--privileged", arguments);
        Assert.Equal(["./build.sh", "TestImage"], arguments.TakeLast(2));
    }

    [Fact]
    public void An_actions_cache_key_hashes_the_files_it_names_as_github_does()
    {
        var workspace = AbsolutePath.Create(Directory.CreateTempSubdirectory("actions-cache-key-").FullName);
        try
        {
            File.WriteAllText(workspace / "global.json", "{}");
            Directory.CreateDirectory(workspace / "src" / "App");
            File.WriteAllText(workspace / "src" / "App" / "App.csproj", "<Project />");
            const string template = "${{ runner.os }}-nuget-${{ hashFiles('global.json', '**/*.csproj') }}";

            var key = ActionsCache.Evaluate(template, workspace);
            var expected = Convert.ToHexStringLower(SHA256.HashData(
                [.. SHA256.HashData("{}"u8.ToArray()), .. SHA256.HashData("<Project />"u8.ToArray())]));
            Assert.Equal($"Linux-nuget-{expected}", key);

            File.WriteAllText(workspace / "src" / "App" / "App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
            Assert.NotEqual(key, ActionsCache.Evaluate(template, workspace));
            Assert.Equal("Linux-nuget-", ActionsCache.Evaluate("${{ runner.os }}-nuget-", workspace));
            Assert.Throws<NotSupportedException>(() => ActionsCache.Evaluate("${{ github.sha }}", workspace));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public void An_actions_cache_restores_its_key_else_the_newest_entry_of_a_restore_key()
    {
        var store = AbsolutePath.Create(Directory.CreateTempSubdirectory("actions-cache-store-").FullName);
        try
        {
            var cache = new ActionsCache(new ProcessRunner(new RecordingLog(), new SecretMasker()), store);
            Assert.Null(cache.Find("Linux-nuget-abc", ["Linux-nuget-"]));

            Directory.CreateDirectory(store / "Linux-nuget-old");
            Directory.SetLastWriteTimeUtc(store / "Linux-nuget-old", DateTime.UtcNow.AddHours(-1));
            Directory.CreateDirectory(store / "Linux-nuget-new");
            Directory.CreateDirectory(store / "Linux-nuget-abc.partial");

            Assert.Equal(store / "Linux-nuget-new", cache.Find("Linux-nuget-abc", ["Linux-nuget-"]));
            Assert.Null(cache.Find("Linux-nuget-abc", ["Windows-"]));
            Directory.CreateDirectory(store / "Linux-nuget-abc");
            Assert.Equal(store / "Linux-nuget-abc", cache.Find("Linux-nuget-abc", ["Linux-nuget-"]));
        }
        finally
        {
            Directory.Delete(store, recursive: true);
        }
    }

    [Fact]
    public void A_jobs_build_summary_is_the_table_and_final_line_it_ends_with()
    {
        string[] log =
        [
            "Build succeeded in 0:03",
            string.Empty,
            "╭────────┬────────╮",
            "│ Test   │ Cached │",
            "╰────────┴────────╯",
            "Build failed in 1:02",
            "after the build",
        ];

        Assert.Equal(log[2..6], BuildSummary.From(log));
        Assert.Empty(BuildSummary.From(["Restoring packages", "error NU1301"]));
    }

    [Fact]
    public void The_develop_line_of_the_committed_pipeline_has_no_rollback_and_stops_deploys_before_their_own_task()
    {
        var jobs = ConcourseTaskContainers.JobsBeforeTheCluster(CiValidatorsFixture.Root, "develop");

        Assert.Contains(jobs, job => job.Name == "coverage-develop" && !job.StopsBeforeItsOwnTask);
        Assert.DoesNotContain(jobs, job => job.Name.StartsWith("rollback-", StringComparison.Ordinal));
        Assert.All(jobs.Where(job => job.Name.StartsWith("deploy-", StringComparison.Ordinal)), job => Assert.True(job.StopsBeforeItsOwnTask));
    }

    [Fact]
    public void The_github_jobs_of_a_push_come_in_the_order_of_their_needs_without_deploys_or_kind()
    {
        var jobs = GitHubRunnerContainers.JobsBeforeTheCluster(CiValidatorsFixture.Root).Select(job => job.Name).ToList();

        Assert.Contains("quality", jobs);
        Assert.DoesNotContain("e2e-kind", jobs);
        Assert.DoesNotContain(jobs, job => job.StartsWith("deploy-", StringComparison.Ordinal));
        Assert.True(jobs.IndexOf("coverage") > jobs.IndexOf("quality") && jobs.IndexOf("coverage") > jobs.IndexOf("image-tests"), string.Join(", ", jobs));
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData(null, true, false)]
    [InlineData("${{ !cancelled() }}", true, true)]
    [InlineData("${{ failure() || cancelled() }}", false, false)]
    [InlineData("${{ failure() || cancelled() }}", true, true)]
    public void Github_step_conditions_follow_the_job_state(string? condition, bool failed, bool runs)
        => Assert.Equal(runs, GitHubRunnerContainers.ShouldRun(condition, failed));

    [Fact]
    public void An_unknown_step_condition_is_refused_rather_than_guessed()
        => Assert.Throws<NotSupportedException>(() => GitHubRunnerContainers.ShouldRun("${{ always() }}", failed: false));

    [Fact]
    public void The_failure_hook_s_script_names_the_failure_as_github_would()
    {
        const string Hook = "./build.sh --announce-failure ${{ job.status == 'cancelled' && 'aborted' || 'failed' }}";

        Assert.Equal("./build.sh --announce-failure failed", GitHubRunnerContainers.Script(Hook, failed: true));
        Assert.Throws<NotSupportedException>(() => GitHubRunnerContainers.Script("echo ${{ github.sha }}", failed: false));
    }

    private static YamlNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }
}
