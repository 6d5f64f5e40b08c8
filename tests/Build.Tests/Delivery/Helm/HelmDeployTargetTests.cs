using Build.Tests;
using ExampleService.Build.Tests.Delivery.Kubernetes;
using TypedBuild.Processes;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The Promote and Rollback targets run as `./build.sh` runs them (the compiled build, a repository root with the real
/// environments.json and profiles), where no cluster answers: they fail fast, naming the kube context tried, and a
/// protected environment without its approval fails before anything touches the cluster.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class HelmDeployTargetTests(HelmToolchain toolchain) : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("helm-target-root-");

    [Fact]
    public async Task Without_a_kubeconfig_the_target_fails_naming_the_kube_context()
    {
        var result = await RunBuildAsync(["Rollback", "--env", "dev"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Target Rollback failed: Cannot reach the Kubernetes cluster of kube context 'example-service-dev': no kubeconfig file at", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The incident button: a prod rollback with the approval CI gives goes as far as the cluster.</summary>
    [Fact]
    public async Task An_approved_prod_rollback_reaches_the_cluster_boundary()
    {
        var result = await RunBuildAsync(["Rollback", "--env", "prod", "--deploy-approved"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("About to roll back prod (approved).", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Cannot reach the Kubernetes cluster of kube context 'example-service-prod'", result.StandardError, StringComparison.Ordinal);
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

        var result = await RunBuildAsync(["Rollback", "--env", "dev"], kubeconfig);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Cannot reach the Kubernetes cluster of kube context 'example-service-dev' at {server}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Start the cluster", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Promote", "deploy to")]
    [InlineData("Rollback", "roll back")]
    public async Task Prod_is_refused_without_the_approval_before_the_cluster_is_touched(string target, string action)
    {
        var result = await RunBuildAsync([target, "--env", "prod"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Refusing to {action} prod without an approval: prod is protected in environments.json. By hand pass --deploy-approved; CI sets DEPLOY_APPROVED=true", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("kube context", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_environment_the_target_says_to_choose_one()
    {
        var result = await RunBuildAsync(["Rollback", "--kube-context", "x", "--kube-namespace", "y"], Path.Combine(_root.FullName, "no-such-kubeconfig"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Choose the environment with --env dev|staging|prod|local|kind (promotion order dev → staging → prod (approved)", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<ProcessResult> RunBuildAsync(IReadOnlyList<string> arguments, string kubeconfig)
    {
        global::Build.Tests.Delivery.Environments.EnvironmentFiles.CopyTo(_root.FullName);

        return await new TestProcessRunner().RunAsync(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "_build.dll"), .. arguments, "--root", _root.FullName, "--helm-path", toolchain.Helm(4)],
            new ProcessOptions
            {
                AllowNonZeroExitCode = true,
                WorkingDirectory = _root.FullName,
                Environment = LocalBuildEnvironment.With(new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig }),
            });
    }
}
