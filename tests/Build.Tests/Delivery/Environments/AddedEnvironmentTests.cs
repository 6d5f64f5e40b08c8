using ExampleService.Build.Delivery.Environments;
using ExampleService.Build.Delivery.Helm;
using ExampleService.Build.Tests.Delivery.Helm;
using TypedBuild;
using TypedBuild.Ci.Concourse;
using TypedBuild.Processes;
using YamlDotNet.RepresentationModel;
using ServiceBuild = ExampleService.Build.Build;

namespace Build.Tests.Delivery.Environments;

/// <summary>
/// Adding an environment is one entry in environments.json plus its profile and values file: a scratch checkout
/// declares <c>preprod</c> between staging and prod, and it appears in --help, the plan, all three generated pipelines
/// and the chart lint; without its files, generation fails saying which file is missing.
/// </summary>
public sealed class AddedEnvironmentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("added-environment-").FullName;

    public AddedEnvironmentTests()
    {
        EnvironmentFiles.CopyTo(_root);
        var toolchain = Directory.CreateDirectory(Path.Combine(_root, ServiceBuild.CiImageFolder)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(EnvironmentFiles.Root, ServiceBuild.CiImageFolder)))
        {
            File.Copy(file, Path.Combine(toolchain, Path.GetFileName(file)));
        }
    }

    [Fact]
    public async Task Help_and_the_plan_know_the_added_environment()
    {
        EnvironmentFiles.AddEnvironment(_root, "preprod", after: "staging");

        var help = await RunBuildAsync(["--help"]);
        var plan = await RunBuildAsync(["Promote", "--env", "preprod", "--plan"]);

        Assert.Contains("dev → staging → preprod → prod (approved)", help.StandardOutput, StringComparison.Ordinal);
        Assert.True(plan.ExitCode == 0, plan.StandardError);
        Assert.Contains("Promote", plan.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("DockerBuild", plan.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void All_three_pipelines_promote_through_the_added_environment_and_the_chart_lint_takes_its_values()
    {
        EnvironmentFiles.AddEnvironment(_root, "preprod", after: "staging", branch: "preprod");
        var root = AbsolutePath.Create(_root);
        var files = ServiceBuild.CiFilesIn(root, EnvironmentDeclaration.Load(root)).ToDictionary(f => f.RelativePath, f => f.Content);

        var github = Load(files[".github/workflows/ci.yml"]);
        Assert.Equal("./build.sh Promote --env preprod --skip", RunOf(At(github, "jobs", "deploy-preprod")));
        Assert.Equal("${{ github.ref == 'refs/heads/preprod' }}", At(github, "jobs", "deploy-preprod", "if").ToString());
        Assert.Contains("preprod", ((YamlSequenceNode)At(Load(files[".github/workflows/rollback.yml"]), "on", "workflow_dispatch", "inputs", "environment", "options")).Children.Select(c => c.ToString()));
        Assert.Equal("Promote to prod what preprod verified", At(github, "jobs", "deploy-prod", "name").ToString());

        var gitlab = Load(files[".gitlab-ci.yml"]);
        Assert.Equal("./build.sh Promote --env preprod --skip", ((YamlSequenceNode)At(gitlab, "deploy-preprod", "script")).Children[0].ToString());
        Assert.Equal("./build.sh Rollback --env preprod --skip", ((YamlSequenceNode)At(gitlab, "rollback-preprod", "script")).Children[0].ToString());

        var concourse = ((YamlSequenceNode)At(Load(files[ConcourseWriter.FilePath]), "jobs")).Children.Select(j => At(j, "name").ToString()).ToList();
        Assert.Contains("deploy-preprod", concourse);
        Assert.Contains("rollback-preprod", concourse);
        Assert.Contains("((kubeconfig-data-preprod))", files[ConcourseWriter.FilePath], StringComparison.Ordinal);

        Assert.Contains("values-preprod.yaml", ChartLint.ValuesFiles(root, EnvironmentDeclaration.Load(root)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Without_its_values_file_and_profile_generation_fails_naming_them()
    {
        EnvironmentFiles.AddEnvironment(_root, "preprod", after: "staging", withFiles: false);

        var result = await RunBuildAsync(["GenerateCi"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("environment 'preprod' declares the profile .nuke/parameters.preprod.json, which does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("environment 'preprod' declares the values file charts/example-service/values-preprod.yaml, which does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, ".gitlab-ci.yml")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static YamlMappingNode Load(string content)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] keys)
        => keys.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static string RunOf(YamlNode job)
        => ((YamlSequenceNode)At(job, "steps")).Children.Select(s => ((YamlMappingNode)s).Children.TryGetValue(new YamlScalarNode("run"), out var run) ? run.ToString() : null)
            .First(r => r is not null && r.StartsWith("./build.sh Promote", StringComparison.Ordinal))!;

    private Task<ProcessResult> RunBuildAsync(IReadOnlyList<string> arguments)
        => new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--root", _root],
            new ProcessOptions
            {
                AllowNonZeroExitCode = true,
                WorkingDirectory = _root,
                Environment = LocalBuildEnvironment.With(new Dictionary<string, string?>()),
            });
}
