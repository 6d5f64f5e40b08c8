using System.Text.RegularExpressions;
using TypedBuild;
using TypedBuild.Ci;
using TypedBuild.Ci.Concourse;
using TypedBuild.Hosts;
using YamlDotNet.RepresentationModel;
using ServiceBuild = ExampleService.Build.Build;

namespace Build.Tests.Ci;

/// <summary>This repository's pipeline declaration and the CI files committed from it.</summary>
public sealed partial class ExampleServicePipelineTests
{
    private static readonly AbsolutePath Root = CiValidatorsFixture.Root;
    private static readonly IReadOnlyList<GeneratedFile> Files = ServiceBuild.CiFilesIn(Root);

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Files.Single(f => f.RelativePath == path).Content));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] keys)
        => keys.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static YamlNode? Child(YamlNode node, string key)
        => node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode mapping)
        => ((YamlMappingNode)mapping).Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value));

    [Fact]
    public void The_committed_ci_files_are_what_the_declaration_generates()
        => Assert.Empty(CiDriftChecker.Check(Files, Root));

    [Fact]
    public void Generation_is_deterministic()
        => Assert.Equal(Files, ServiceBuild.CiFilesIn(Root));

    [Fact]
    public void A_stale_file_is_reported_with_its_first_differing_line()
    {
        var copy = AbsolutePath.Create(Directory.CreateTempSubdirectory("ci-drift-").FullName);
        try
        {
            CiGenerator.WriteFiles(Files, copy);
            var gitlab = copy / ".gitlab-ci.yml";
            var lines = File.ReadAllLines(gitlab);
            var line = Array.FindIndex(lines, l => l.Contains("./build.sh Test Lint Sonar", StringComparison.Ordinal));
            lines[line] = lines[line].Replace("Sonar", "Sonar Extra", StringComparison.Ordinal);
            File.WriteAllLines(gitlab, lines);

            var message = CiDriftChecker.Describe(CiDriftChecker.Check(Files, copy), ServiceBuild.CiPipelineIn(Root).RegenerateCommand);

            Assert.Contains($".gitlab-ci.yml:{line + 1}: differs: expected `    - ./build.sh Test Lint Sonar`, found `    - ./build.sh Test Lint Sonar Extra`", message, StringComparison.Ordinal);
            Assert.EndsWith("Run `./build.sh GenerateCi` and commit the result.", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void A_changed_toolchain_dockerfile_makes_the_committed_files_stale()
    {
        var copy = AbsolutePath.Create(Directory.CreateTempSubdirectory("ci-image-").FullName);
        try
        {
            global::Build.Tests.Delivery.Environments.EnvironmentFiles.CopyTo(copy);
            Directory.CreateDirectory(copy / ServiceBuild.CiImageFolder);
            var dockerfile = File.ReadAllText(Root / ServiceBuild.CiImageFolder / "Dockerfile");
            File.WriteAllText(copy / ServiceBuild.CiImageFolder / "Dockerfile", dockerfile.Replace(" shellcheck", "", StringComparison.Ordinal));
            File.Copy(Root / ServiceBuild.CiImageFolder / "executables.txt", copy / ServiceBuild.CiImageFolder / "executables.txt");

            var drifts = CiDriftChecker.Check(ServiceBuild.CiFilesIn(copy), Root);

            Assert.Equal([".gitlab-ci.yml", "ci/concourse/branch.yml", "ci/concourse/pipeline.yml"], drifts.Select(d => d.RelativePath).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Gitlab_and_concourse_run_every_job_in_the_toolchain_image_and_only_the_docker_jobs_get_an_engine()
    {
        var tag = CiJobImage.ContentTagOf(Root / ServiceBuild.CiImageFolder);
        var gitlab = Load(".gitlab-ci.yml");
        Assert.Equal($"$DOCKER_REGISTRY/example-service-ci:{tag}", At(gitlab, "default", "image").ToString());
        var jobs = Entries(gitlab).Where(e => Child(e.Value, "script") is not null && e.Key != "announce-failure").ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", At(jobs["ci-image"], "image").ToString());
        Assert.All(jobs.Where(j => j.Key != "ci-image"), j => Assert.Null(Child(j.Value, "image")));
        string[] withDocker = ["ci-image", "image-tests", "package"];
        Assert.Equal(withDocker, jobs.Where(j => Child(j.Value, "tags") is not null).Select(j => j.Key));

        // Job and task: the quality and image-tests jobs run as the first tasks of the coverage job, which consumes their results.
        var tasks = ((YamlSequenceNode)At(Load(ConcourseWriter.FilePath), "jobs")).Children
            .SelectMany(job => ((YamlSequenceNode)At(job, "plan")).Children
                .Where(step => Child(step, "task") is not null)
                .Select(step => (Job: At(job, "name").ToString(), Name: At(step, "task").ToString(), Task: step)))
            .ToList();
        Assert.All(tasks.Where(t => !t.Job.StartsWith("ci-image", StringComparison.Ordinal)), t =>
        {
            Assert.Equal("((docker-registry))/example-service-ci", At(t.Task, "config", "image_resource", "source", "repository").ToString());
            Assert.Equal(tag, At(t.Task, "config", "image_resource", "source", "tag").ToString());
        });
        Assert.Contains(tasks, t => t.Job == "coverage-develop" && t.Name == "quality");
        Assert.All(tasks.Where(t => t.Name == "quality"), t => Assert.Null(Child(t.Task, "privileged")));
        Assert.All(tasks.Where(t => t.Name is "image-tests" or "package"), t => Assert.Equal("true", At(t.Task, "privileged").ToString()));
    }

    [Fact]
    public void Every_github_job_body_is_one_build_call()
    {
        foreach (var path in new[] { ".github/workflows/ci.yml", ".github/workflows/rollback.yml" })
        {
            foreach (var (name, job) in Entries(At(Load(path), "jobs")))
            {
                var runs = ((YamlSequenceNode)At(job, "steps")).Children
                    .Where(s => Child(s, "name")?.ToString() != "Announce the failure")
                    .Select(s => Child(s, "run")).OfType<YamlScalarNode>().ToList();
                Assert.True(runs.Count == 1 && runs[0].Value!.StartsWith("./build.sh ", StringComparison.Ordinal), $"{path} job {name} runs: {string.Join(" | ", runs)}");
            }
        }
    }

    [Fact]
    public void Every_gitlab_and_concourse_job_body_is_one_build_call()
    {
        var gitlab = Entries(Load(".gitlab-ci.yml")).Where(e => Child(e.Value, "script") is not null && e.Key != "announce-failure").ToList();
        Assert.NotEmpty(gitlab);
        Assert.All(gitlab, e => Assert.Matches("^\\./build\\.sh [A-Z]", Assert.Single(((YamlSequenceNode)At(e.Value, "script")).Children).ToString()));

        var tasks = ((YamlSequenceNode)At(Load(ConcourseWriter.FilePath), "jobs")).Children
            .SelectMany(job => ((YamlSequenceNode)At(job, "plan")).Children.Cast<YamlMappingNode>())
            .Where(step => step.Children.ContainsKey(new YamlScalarNode("task")))
            .ToList();
        Assert.NotEmpty(tasks);
        Assert.All(tasks, task => Assert.Equal("./build.sh", At(task, "config", "run", "path").ToString()));
    }

    private static readonly ExampleService.Build.Delivery.Environments.EnvironmentDeclaration Declared =
        ExampleService.Build.Delivery.Environments.EnvironmentDeclaration.Load(Root);

    /// <summary>Every generated job's build call, per system: (system, job, call, job node).</summary>
    private static IEnumerable<(string System, string Job, string Call, YamlNode Node)> Calls()
    {
        foreach (var path in new[] { ".github/workflows/ci.yml", ".github/workflows/rollback.yml" })
        {
            foreach (var (name, job) in Entries(At(Load(path), "jobs")))
            {
                var call = ((YamlSequenceNode)At(job, "steps")).Children.Select(s => Child(s, "run")?.ToString()).First(r => r is not null && !r.Contains("--announce-failure", StringComparison.Ordinal))!;
                yield return ("github", name, call.Replace("${{ inputs.environment }}", "<dispatched>", StringComparison.Ordinal), job);
            }
        }

        foreach (var (name, job) in Entries(Load(".gitlab-ci.yml")).Where(e => Child(e.Value, "script") is not null && e.Key != "announce-failure"))
        {
            yield return ("gitlab", name, ((YamlSequenceNode)At(job, "script")).Children[0].ToString(), job);
        }

        foreach (var job in ((YamlSequenceNode)At(Load(ConcourseWriter.FilePath), "jobs")).Children)
        {
            var task = ((YamlSequenceNode)At(job, "plan")).Children.FirstOrDefault(step => Child(step, "task") is not null);
            if (task is not null)
            {
                yield return ("concourse", At(job, "name").ToString(), "./build.sh " + string.Join(' ', ((YamlSequenceNode)At(task, "config", "run", "args")).Children), job);
            }
        }
    }

    private static string? EnvironmentOf(string call) => Regex.Match(call, "--env (\\S+)") is { Success: true } m ? m.Groups[1].Value : null;

    [Fact]
    public void Every_generated_job_acting_on_a_protected_environment_carries_the_approval_behind_its_gate()
    {
        var guarded = Calls().Where(c => EnvironmentOf(c.Call) is "<dispatched>" || Declared.All.Any(e => e.Protected && e.Name == EnvironmentOf(c.Call))).ToList();
        Assert.Equal(
            ["concourse deploy-prod", "concourse rollback-prod", "github deploy-prod", "github rollback", "gitlab deploy-prod", "gitlab rollback-prod"],
            guarded.Select(c => $"{c.System} {c.Job}").Order(StringComparer.Ordinal));

        foreach (var (system, job, _, node) in guarded)
        {
            var where = $"{system} {job}";
            switch (system)
            {
                case "github":
                    var approval = At(node, "env", "DEPLOY_APPROVED").ToString();
                    Assert.True(approval == "true" || approval == "${{ inputs.environment == 'prod' }}", $"{where}: DEPLOY_APPROVED={approval}");
                    Assert.Equal(job == "rollback" ? "${{ inputs.environment }}" : "prod", At(node, "environment") is YamlScalarNode dispatched ? dispatched.Value : At(node, "environment", "name").ToString());
                    Assert.Equal("${{ github.token }}", At(node, "env", "GITHUB_TOKEN").ToString());
                    Assert.Equal("read", At(node, "permissions", "actions").ToString());
                    break;
                case "gitlab":
                    Assert.Equal("true", At(node, "variables", "DEPLOY_APPROVED").ToString());
                    Assert.All(((YamlSequenceNode)At(node, "rules")).Children, rule => Assert.Equal("manual", At(rule, "when").ToString()));
                    Assert.Equal("prod", At(node, "environment", "name").ToString());
                    break;
                default:
                    var task = ((YamlSequenceNode)At(node, "plan")).Children.First(step => Child(step, "task") is not null);
                    Assert.Equal("true", At(task, "config", "params", "DEPLOY_APPROVED").ToString());
                    Assert.Equal("((kubeconfig-data-prod))", At(task, "config", "params", "KUBECONFIG_DATA").ToString());
                    Assert.All(((YamlSequenceNode)At(node, "plan")).Children, step => Assert.Null(Child(step, "trigger")));
                    break;
            }
        }

        var guardedJobs = guarded.Select(c => (c.System, c.Job)).ToHashSet();
        Assert.All(Calls().Where(c => !guardedJobs.Contains((c.System, c.Job))), c => Assert.Null(ApprovalOf(c.System, c.Node)));
    }

    /// <summary>The DEPLOY_APPROVED a job sets, wherever its system puts variables; null when it sets none.</summary>
    private static YamlNode? ApprovalOf(string system, YamlNode job) => system switch
    {
        "github" => Child(job, "env") is { } env ? Child(env, "DEPLOY_APPROVED") : null,
        "gitlab" => Child(job, "variables") is { } variables ? Child(variables, "DEPLOY_APPROVED") : null,
        _ => ((YamlSequenceNode)At(job, "plan")).Children.Where(step => Child(step, "task") is not null).Select(task => Child(At(task, "config", "params"), "DEPLOY_APPROVED")).FirstOrDefault(),
    };

    [Fact]
    public void The_three_systems_promote_the_same_chain_building_the_image_once_on_the_first_environment_s_ref()
    {
        var calls = Calls().ToList();
        foreach (var system in new[] { "github", "gitlab", "concourse" })
        {
            var promotions = calls.Where(c => c.System == system && c.Call.Contains("Promote", StringComparison.Ordinal) && EnvironmentOf(c.Call) != "kind").ToList();
            Assert.Equal(Declared.Promotion.Select(e => $"deploy-{e.Name}: ./build.sh Promote --env {e.Name} --skip"), promotions.Select(c => $"{c.Job}: {c.Call}"));

            var builds = calls.Where(c => c.System == system && c.Call.Contains("DockerBuild", StringComparison.Ordinal) && EnvironmentOf(c.Call) != "kind").Select(c => c.Job).ToList();
            Assert.Equal(["package"], builds);
        }

        var github = At(Load(".github/workflows/ci.yml"), "jobs");
        Assert.Equal("${{ github.ref == 'refs/heads/develop' }}", At(github, "package", "if").ToString());
        var gitlabRules = ((YamlSequenceNode)At(Load(".gitlab-ci.yml"), "package", "rules")).Children;
        Assert.Equal("$CI_COMMIT_BRANCH == \"develop\"", At(Assert.Single(gitlabRules), "if").ToString());
    }

    [Fact]
    public void Github_promotes_develop_to_dev_main_to_staging_and_tags_to_protected_prod()
    {
        var jobs = At(Load(".github/workflows/ci.yml"), "jobs");

        Assert.Equal("${{ github.ref == 'refs/heads/develop' }}", At(jobs, "deploy-dev", "if").ToString());
        Assert.Equal("${{ github.ref == 'refs/heads/main' }}", At(jobs, "deploy-staging", "if").ToString());
        Assert.Equal("${{ startsWith(github.ref, 'refs/tags/v') }}", At(jobs, "deploy-prod", "if").ToString());
        Assert.Equal("prod", At(jobs, "deploy-prod", "environment", "name").ToString());
        Assert.True(ServiceBuild.CiPipelineIn(Root).Environment("prod")!.Protected);
    }

    [Fact]
    public void Every_github_job_and_concourse_task_gets_the_remote_cache_store_and_its_login()
    {
        string[] names = ["TYPEDBUILD_CACHE_REGISTRY", "TYPEDBUILD_CACHE_REGISTRY_USERNAME", "TYPEDBUILD_CACHE_REGISTRY_PASSWORD"];
        var workflowEnvironment = ((YamlMappingNode)At(Load(".github/workflows/ci.yml"), "env")).Children.Keys.Select(k => k.ToString());
        var tasks = ((YamlSequenceNode)At(Load(ConcourseWriter.FilePath), "jobs")).Children
            .SelectMany(j => ((YamlSequenceNode)At(j, "plan")).Children.Where(s => Child(s, "task") is not null))
            .ToList();

        Assert.Equal(names, workflowEnvironment.Intersect(names));
        Assert.Equal("${{ secrets.TYPEDBUILD_CACHE_REGISTRY }}", At(Load(".github/workflows/ci.yml"), "env", "TYPEDBUILD_CACHE_REGISTRY").ToString());
        Assert.NotEmpty(tasks);
        Assert.All(tasks, task => Assert.Equal(
            ["((typedbuild-cache-registry))", "((typedbuild-cache-registry-username))", "((typedbuild-cache-registry-password))"],
            names.Select(name => At(task, "config", "params", name).ToString())));
    }

    /// <summary>The generated task passes what <see cref="ConcourseHost"/> reads: with values filled in, the host finds the run.</summary>
    [Fact]
    public void Concourse_tasks_give_the_engine_its_host_variables()
    {
        var job = ((YamlSequenceNode)At(Load(ConcourseWriter.FilePath), "jobs")).Children.Single(j => At(j, "name").ToString() == "deploy-prod");
        var task = ((YamlSequenceNode)At(job, "plan")).Children.Single(s => Child(s, "task")?.ToString() == "build");
        var values = new Dictionary<string, string>
        {
            [".:atc-external-url"] = "https://ci.example.test",
            ["concourse-team"] = "platform",
            [".:build-name"] = "42",
            [".:tag"] = "v1.2.0",
        };
        var environment = ((YamlMappingNode)At(task, "config", "params")).Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value!,
            p => (string?)VariablePattern().Replace(((YamlScalarNode)p.Value).Value!, m => values.GetValueOrDefault(m.Groups[1].Value, "secret")));

        Assert.Equal("true", environment["CONCOURSE_CI"]);
        var host = new ConcourseHost(environment, Root, TextWriter.Null);

        Assert.Equal("https://ci.example.test/teams/platform/pipelines/example-service/jobs/deploy-prod/builds/42", host.RunUrl);
        Assert.Equal("v1.2.0", host.Tag);
        Assert.Equal("42", host.BuildNumber);
    }

    [Fact]
    public void Every_secret_says_what_it_is_for()
        => Assert.All(ServiceBuild.CiPipelineIn(Root).Secrets, s => Assert.True(s.Description.Length > 10, s.Name));

    [GeneratedRegex(@"\(\(([^()]+)\)\)")]
    private static partial Regex VariablePattern();
}
