using ExampleService.Build.Tests.Delivery.Kubernetes;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The HelmDeploy and Rollback targets run as `./build.sh` runs them (the compiled build, a repository root with
/// the real .nuke/parameters.dev.json), where no cluster answers: they fail fast, naming the kube context tried.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class HelmDeployTargetTests(HelmToolchain toolchain) : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("helm-target-root-");

    [Theory]
    [InlineData("HelmDeploy")]
    [InlineData("Rollback")]
    public async Task Without_a_kubeconfig_the_target_fails_naming_the_kube_context(string target)
    {
        var result = await RunBuildAsync([target, "--env", "dev"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Target {target} failed: Cannot reach the Kubernetes cluster of kube context 'example-service-dev': no kubeconfig file at", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_api_server_does_not_answer_the_deploy_fails_naming_the_context_and_server()
    {
        string server;
        await using (var stopped = new LoopbackKubeApi())
        {
            server = stopped.Server;
        }

        var kubeconfig = Path.Combine(_root.FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, LoopbackKubeApi.KubeconfigFor("example-service-dev", server));

        var result = await RunBuildAsync(["HelmDeploy", "--env", "dev"], kubeconfig);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Cannot reach the Kubernetes cluster of kube context 'example-service-dev' at {server}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Start the cluster", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prod_is_refused_without_the_approval()
    {
        var result = await RunBuildAsync(["HelmDeploy", "--env", "prod"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Deploying to prod needs an approval", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_environment_the_target_says_to_choose_one()
    {
        var result = await RunBuildAsync(["HelmDeploy", "--kube-context", "x", "--kube-namespace", "y"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Choose the environment to deploy to with --env", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<ProcessResult> RunBuildAsync(IReadOnlyList<string> arguments, string kubeconfig)
    {
        var nuke = Directory.CreateDirectory(Path.Combine(_root.FullName, ".nuke")).FullName;
        foreach (var file in new[] { "parameters.json", "parameters.dev.json", "parameters.prod.json" })
        {
            File.Copy(Path.Combine(HelmToolchain.RepositoryRoot, ".nuke", file), Path.Combine(nuke, file), overwrite: true);
        }

        return await new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--root", _root.FullName, "--helm-path", toolchain.Helm(4)],
            new ProcessOptions
            {
                AllowNonZeroExitCode = true,
                WorkingDirectory = _root.FullName,
                Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig, ["NO_COLOR"] = "1", ["COLUMNS"] = "400" },
            });
    }
}
