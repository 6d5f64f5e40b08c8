using TypedBuild.Ci;
using TypedBuild.Ci.Concourse;
using YamlDotNet.RepresentationModel;

namespace TypedBuild.Tests.Ci;

/// <summary>What each writer makes of the sample pipeline, read back as YAML.</summary>
public sealed class CiWriterTests
{
    private static readonly IReadOnlyList<GeneratedFile> Files = CiGenerator.Generate(SamplePipeline.Create(), SamplePipeline.Targets);
    private static readonly YamlMappingNode GitHub = YamlQuery.Load(Files.Text(".github/workflows/ci.yml"));
    private static readonly YamlMappingNode Rollback = YamlQuery.Load(Files.Text(".github/workflows/rollback.yml"));
    private static readonly YamlMappingNode GitLab = YamlQuery.Load(Files.Text(".gitlab-ci.yml"));
    private static readonly YamlMappingNode Concourse = YamlQuery.Load(Files.Text(ConcourseWriter.FilePath));
    private static readonly YamlMappingNode ConcourseBranch = YamlQuery.Load(Files.Text(ConcourseWriter.BranchFilePath));

    /// <summary>The job's run steps but its failure hook.</summary>
    private static IEnumerable<string> RunSteps(YamlNode job)
        => ((YamlSequenceNode)job.At("steps")).Children.Where(s => s.Find("name")?.ToString() != "Announce the failure")
            .Select(s => s.Find("run")).OfType<YamlScalarNode>().Select(s => s.Value!);

    [Fact]
    public void Every_job_has_its_system_s_failure_hook_and_each_hook_calls_the_build()
    {
        foreach (var job in new[] { GitHub.At("jobs", "test"), GitHub.At("jobs", "deploy-prod"), Rollback.At("jobs", "rollback") })
        {
            var hook = (YamlMappingNode)((YamlSequenceNode)job.At("steps")).Children[^1];
            Assert.Equal("${{ failure() || cancelled() }}", hook.Text("if"));
            Assert.Equal("./build.sh --announce-failure ${{ job.status == 'cancelled' && 'aborted' || 'failed' }}", hook.Text("run"));
        }

        Assert.Equal(".post", GitLab.Text("announce-failure", "stage"));
        Assert.Equal("on_failure", GitLab.Text("announce-failure", "when"));
        Assert.Equal(["./build.sh --announce-failure failed"], GitLab.Texts("announce-failure", "script"));
        Assert.All(GitLab.Keys().Where(k => GitLab.At(k) is YamlMappingNode job && job.Find("script") is not null && k != "announce-failure"), id =>
        {
            Assert.Equal("always", GitLab.Text(id, "artifacts", "when"));
            Assert.Contains(CiPipeline.FailureMarkerPath, GitLab.Texts(id, "artifacts", "paths"));
        });

        var jobs = ((YamlSequenceNode)Concourse.At("jobs")).Children.Where(j => j.At("plan").AllNodes.OfType<YamlScalarNode>().Any(s => s.Value == "build")).ToList();
        Assert.NotEmpty(jobs);
        Assert.All(jobs, job =>
        {
            var input = job.At("plan").Item("task", "build").Text("config", "inputs", 0, "name");
            Assert.Equal(input, job.At("plan").Item("task", "build").Text("config", "outputs", 0, "name"));
            foreach (var (hook, kind) in new[] { ("on_failure", "failed"), ("on_error", "errored"), ("on_abort", "aborted") })
            {
                Assert.Equal(["--announce-failure", kind], job.At(hook).Texts("config", "run", "args"));
                Assert.Equal(input, job.At(hook).Text("config", "inputs", 0, "name"));
            }
        });
    }

    [Fact]
    public void GitHub_jobs_follow_needs_and_run_one_build_call_each()
    {
        Assert.Equal(["test", "e2e", "pack", "deploy-dev", "deploy-prod"], GitHub.Keys("jobs"));
        Assert.Equal(["pack"], GitHub.Texts("jobs", "deploy-prod", "needs"));
        Assert.Equal(["./build.sh Test Report"], RunSteps(GitHub.At("jobs", "test")));
        Assert.Equal(["./build.sh Deploy --env prod --skip"], RunSteps(GitHub.At("jobs", "deploy-prod")));
        Assert.Equal(["./build.sh Pack Deploy --env kind --skip"], RunSteps(GitHub.At("jobs", "e2e")));
    }

    [Fact]
    public void GitHub_jobs_run_only_for_their_triggers()
    {
        Assert.Null(GitHub.At("jobs", "test").Find("if"));
        Assert.Equal("${{ github.ref == 'refs/heads/develop' || startsWith(github.ref, 'refs/tags/v') }}", GitHub.Text("jobs", "pack", "if"));
        Assert.Equal("${{ github.event_name == 'pull_request' }}", GitHub.Text("jobs", "e2e", "if"));
        Assert.Equal(["**"], GitHub.Texts("on", "push", "branches"));
        Assert.Equal(["v*"], GitHub.Texts("on", "push", "tags"));
    }

    [Fact]
    public void GitHub_deploys_use_environments_secrets_artifacts_and_no_cancellation()
    {
        var prod = GitHub.At("jobs", "deploy-prod");

        Assert.Equal("prod", prod.Text("environment", "name"));
        Assert.Equal("https://dev.example.test", GitHub.Text("jobs", "deploy-dev", "environment", "url"));
        Assert.Equal("false", prod.Text("concurrency", "cancel-in-progress"));
        Assert.Equal("${{ secrets.KUBE_CONFIG }}", prod.Text("env", "KUBE_CONFIG"));
        Assert.Equal("true", prod.Text("env", "APPROVED"));
        Assert.Equal("${{ secrets.HOOK_URL }}", GitHub.Text("env", "HOOK_URL"));
        var download = prod.At("steps").Item("name", "Download package");
        Assert.Equal("out", download.Text("with", "path"));
        var upload = GitHub.At("jobs", "test", "steps").Item("name", "Upload results");
        Assert.Equal("${{ !cancelled() }}", upload.Text("if"));
        Assert.Contains(GitHub.At("jobs", "test", "steps").AllNodes.OfType<YamlScalarNode>(), s => s.Value == "actions/cache@v4");
    }

    [Fact]
    public void GitHub_end_to_end_job_creates_a_kind_cluster_with_a_registry()
    {
        var kind = GitHub.At("jobs", "e2e", "steps").Item("uses", "helm/kind-action@v1");

        Assert.Equal("sample", kind.Text("with", "cluster_name"));
        Assert.Equal("true", kind.Text("with", "registry"));
        Assert.Equal("kind-registry", kind.Text("with", "registry_name"));
    }

    [Fact]
    public void GitHub_rollback_is_dispatched_by_hand_with_an_environment_choice()
    {
        var inputs = Rollback.At("on", "workflow_dispatch", "inputs");

        Assert.Equal(["dev", "prod"], inputs.Texts("environment", "options"));
        Assert.Equal("choice", inputs.Text("environment", "type"));
        Assert.Equal("string", inputs.Text("revision", "type"));
        Assert.Equal("${{ inputs.environment }}", Rollback.Text("jobs", "rollback", "environment"));
        Assert.Equal("${{ inputs.revision }}", Rollback.Text("jobs", "rollback", "env", "REVISION"));
        Assert.Equal(["./build.sh Rollback --env ${{ inputs.environment }} --skip"], RunSteps(Rollback.At("jobs", "rollback")));
    }

    [Fact]
    public void GitLab_has_stages_rules_reports_and_manual_prod()
    {
        Assert.Equal(["test", "pack", "deploy-dev", "deploy-prod", "rollback"], GitLab.Texts("stages"));
        Assert.DoesNotContain("e2e", GitLab.Keys());
        Assert.Equal("true", GitLab.Text("default", "interruptible"));
        Assert.Equal(["out/results/*.xml"], GitLab.Texts("test", "artifacts", "reports", "junit"));
        Assert.Equal("out/coverage/Cobertura.xml", GitLab.Text("test", "artifacts", "reports", "coverage_report", "path"));
        Assert.Equal("always", GitLab.Text("test", "artifacts", "when"));
        Assert.Equal(@"/Coverage: (\d+)%/", GitLab.Text("test", "coverage"));
        Assert.Equal("manual", GitLab.Text("deploy-prod", "rules", 0, "when"));
        Assert.Equal("$CI_COMMIT_TAG =~ /^v.*$/", GitLab.Text("deploy-prod", "rules", 0, "if"));
        Assert.Equal("false", GitLab.Text("deploy-prod", "interruptible"));
        Assert.Equal("production", GitLab.Text("deploy-prod", "environment", "deployment_tier"));
        Assert.Equal("$CI_COMMIT_BRANCH == \"develop\"", GitLab.Text("deploy-dev", "rules", 0, "if"));
        Assert.Null(GitLab.At("deploy-dev", "rules", 0).Find("when"));
        Assert.Equal("true", GitLab.Text("deploy-dev", "needs", 0, "artifacts"));
    }

    [Fact]
    public void Docker_jobs_go_to_the_socket_runner_on_gitlab_and_get_a_privileged_task_on_concourse()
    {
        Assert.Equal([TypedBuild.Ci.GitLab.GitLabCiWriter.DockerRunnerTag], GitLab.Texts("pack", "tags"));
        Assert.Null(GitLab.At("pack").Find("services"));
        Assert.Null(GitLab.At("pack").Find("variables"));
        Assert.Null(GitLab.At("test").Find("tags"));
        Assert.Equal("true", Concourse.At("jobs").Item("name", "deploy-dev").At("plan").Item("task", "pack").Text("privileged"));
        Assert.Null(Concourse.At("jobs").Item("name", "deploy-dev").At("plan").Item("task", "build").Find("privileged"));
        Assert.Null(Concourse.At("jobs").Item("name", "test-develop").At("plan").Item("task", "build").Find("privileged"));
    }

    [Fact]
    public void Without_a_job_image_gitlab_and_concourse_run_in_the_sdk_image()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", GitLab.Text("default", "image"));
        var image = Concourse.At("jobs").Item("name", "test-develop").At("plan").Item("task", "build").At("config", "image_resource", "source");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk", image.Text("repository"));
        Assert.Null(image.Find("username"));
    }

    [Fact]
    public void With_a_job_image_every_job_but_its_builder_runs_in_it_by_its_content_tag()
    {
        var files = CiGenerator.Generate(SamplePipeline.WithJobImage("0123456789abcdef"), SamplePipeline.Targets);
        var gitlab = YamlQuery.Load(files.Text(".gitlab-ci.yml"));
        var concourse = YamlQuery.Load(files.Text(ConcourseWriter.FilePath));
        var github = YamlQuery.Load(files.Text(".github/workflows/ci.yml"));

        Assert.Equal("$REGISTRY/sample-ci:0123456789abcdef", gitlab.Text("default", "image"));
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", gitlab.Text("toolchain", "image"));
        Assert.Null(gitlab.At("test").Find("image"));
        Assert.Equal("toolchain", gitlab.Text("test", "needs", 0, "job"));

        var test = concourse.At("jobs").Item("name", "test-develop").At("plan").Item("task", "build").At("config", "image_resource", "source");
        Assert.Equal("((registry))/sample-ci", test.Text("repository"));
        Assert.Equal("0123456789abcdef", test.Text("tag"));
        Assert.Equal("((pack-token))", test.Text("password"));
        var builder = concourse.At("jobs").Item("name", "toolchain-develop").At("plan").Item("task", "build");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk", builder.Text("config", "image_resource", "source", "repository"));
        Assert.Equal("true", builder.Text("privileged"));
        Assert.Equal(["toolchain-develop"], concourse.At("jobs").Item("name", "test-develop").At("plan", 0).Texts("passed"));

        // GitHub runs no builder: its jobs keep the order between the jobs it does run.
        Assert.DoesNotContain("toolchain", github.Keys("jobs"));
        Assert.Null(github.At("jobs", "test").Find("needs"));
    }

    [Fact]
    public void A_content_tag_changes_with_any_file_of_the_image_folder_and_nothing_else()
    {
        var root = AbsolutePath.Create(Directory.CreateTempSubdirectory("job-image-").FullName);
        var folder = root / "image";
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(folder / "Dockerfile", "FROM base\n");
            var first = CiJobImage.ContentTagOf(folder);
            File.WriteAllText(root / "beside-the-folder.txt", "not part of the image");
            Assert.Equal(first, CiJobImage.ContentTagOf(folder));
            Assert.Matches("^[0-9a-f]{16}$", first);

            File.WriteAllText(folder / "Dockerfile", "FROM base\r\n");
            var lineEndings = CiJobImage.ContentTagOf(folder);
            File.WriteAllText(folder / "setup.sh", "");
            var addedFile = CiJobImage.ContentTagOf(folder);

            Assert.Equal(3, new[] { first, lineEndings, addedFile }.Distinct().Count());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void GitLab_rollback_is_one_manual_job_per_environment()
    {
        Assert.Equal(["./build.sh Rollback --env prod --skip"], GitLab.Texts("rollback-prod", "script"));
        Assert.Equal("manual", GitLab.Text("rollback-dev", "rules", 0, "when"));
        Assert.Equal("deploy-dev", GitLab.Text("rollback-dev", "resource_group"));
        Assert.Equal("true", GitLab.Text("rollback-dev", "allow_failure"));
    }

    /// <summary>Concourse hands files only between the steps of a job: the producer runs as a task of each job consuming its artifacts, on that job's checkout.</summary>
    [Fact]
    public void Concourse_runs_a_producer_as_the_first_task_of_its_consumers()
    {
        var jobs = Concourse.At("jobs");
        var names = ((YamlSequenceNode)jobs).Select(j => j.Text("name")).ToList();
        var deploy = jobs.Item("name", "deploy-dev").At("plan");
        var tasks = ((YamlSequenceNode)deploy).Where(step => step.Find("task") is not null).ToList();

        Assert.DoesNotContain("pack-develop", names);
        Assert.DoesNotContain("pack-release", names);
        Assert.Equal(["pack", "build"], tasks.Select(t => t.Text("task")));
        Assert.Equal(["Pack", "--skip"], tasks[0].Texts("config", "run", "args"));
        Assert.Equal(["Deploy", "--env", "dev", "--skip"], tasks[1].Texts("config", "run", "args"));
        Assert.All(tasks, task => Assert.Equal(["repo-develop"], task.At("config", "outputs").AllNodes.OfType<YamlScalarNode>().Where(n => n.Value != "name").Select(n => n.Value)));
        Assert.Equal(["pack", "build"], ((YamlSequenceNode)jobs.Item("name", "deploy-prod").At("plan")).Where(step => step.Find("task") is not null).Select(t => t.Text("task")));
    }

    [Fact]
    public void Concourse_lines_chain_jobs_with_passed_and_wait_for_approval()
    {
        var jobs = Concourse.At("jobs");

        Assert.Equal(["repo-main", "repo-develop", "release", "build-metadata", "feature-branches"], ((YamlSequenceNode)Concourse.At("resources")).Select(r => r.Text("name")));
        Assert.Equal(["test-develop"], jobs.Item("name", "deploy-dev").At("plan", 0).Texts("passed"));
        Assert.Equal("true", jobs.Item("name", "deploy-dev").Text("plan", 0, "trigger"));
        Assert.Null(jobs.Item("name", "deploy-prod").At("plan", 0).Find("trigger"));
        Assert.Null(jobs.Item("name", "rollback-prod").At("plan", 0).Find("trigger"));
        Assert.Equal("^v.*$", Concourse.At("resources").Item("name", "release").Text("source", "tag_regex"));
        Assert.Equal("self", jobs.Item("name", ConcourseWriter.UpdateJob).Text("plan", 1, "set_pipeline"));
    }

    [Fact]
    public void Concourse_tasks_run_the_build_with_host_variables_and_secrets()
    {
        var task = Concourse.At("jobs").Item("name", "deploy-prod").At("plan").Item("task", "build").At("config");
        var parameters = task.At("params");

        Assert.Equal("./build.sh", task.Text("run", "path"));
        Assert.Equal(["Deploy", "--env", "prod", "--skip"], task.Texts("run", "args"));
        Assert.Equal("true", parameters.Text("CONCOURSE_CI"));
        Assert.Equal("((.:tag))", parameters.Text("CONCOURSE_TAG"));
        Assert.Equal("((.:build-name))", parameters.Text("CONCOURSE_BUILD_NAME"));
        Assert.Equal("deploy-prod", parameters.Text("CONCOURSE_JOB"));
        Assert.Equal("((kube-config))", parameters.Text("KUBE_CONFIG"));
        // Each task carries its own job's secrets only.
        Assert.Null(parameters.Find("PACK_TOKEN"));
        Assert.Equal("((pack-token))", Concourse.At("jobs").Item("name", "deploy-prod").At("plan").Item("task", "pack").Text("config", "params", "PACK_TOKEN"));
        Assert.Equal("mcr.microsoft.com/dotnet/sdk", task.Text("image_resource", "source", "repository"));
    }

    [Fact]
    public void Concourse_feature_branches_get_a_pipeline_instance_each()
    {
        var set = Concourse.At("jobs").Item("name", ConcourseWriter.SetBranchPipelinesJob).At("plan", 3);

        Assert.Equal("sample-branch", set.Text("set_pipeline"));
        Assert.Equal("((.:feature.name))", set.Text("instance_vars", "branch"));
        Assert.Equal(".+/.+", Concourse.At("resources").Item("name", "feature-branches").Text("source", "branch_regex"));
        Assert.Equal(["test"], ((YamlSequenceNode)ConcourseBranch.At("jobs")).Select(j => j.Text("name")));
        Assert.Equal("((branch))", ConcourseBranch.At("jobs", 0, "plan").Item("task", "build").Text("config", "params", "CONCOURSE_BRANCH"));
    }

    [Fact]
    public void Concourse_references_all_resolve()
    {
        var variables = ConcourseWriter.DeclaredVariables(SamplePipeline.Create());

        Assert.Empty(ConcourseReferenceChecker.Check(Files.Text(ConcourseWriter.FilePath), variables));
        Assert.Empty(ConcourseReferenceChecker.Check(Files.Text(ConcourseWriter.BranchFilePath), [.. variables, ConcourseWriter.BranchVariable]));
    }
}
