using ExampleService.Build.Delivery;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class LocalDeploymentTests
{
    private static readonly string[] Environments = ["local", "dev", "staging", "prod"];

    [Fact]
    public void Container_listens_on_loopback_only_read_only_without_capabilities_with_data_in_the_volume()
    {
        var parameters = new LocalContainerSpec("svc", "127.0.0.1:5000/svc@sha256:abc", 18080, "svc-data").ToCreateParameters();

        var binding = Assert.Single(parameters.HostConfig!.PortBindings!["8080/tcp"]);
        Assert.Equal(("127.0.0.1", "18080"), (binding.HostIP, binding.HostPort));
        Assert.True(parameters.HostConfig!.ReadonlyRootfs);
        Assert.Equal(["ALL"], parameters.HostConfig!.CapDrop);
        var mount = Assert.Single(parameters.HostConfig.Mounts!);
        Assert.Equal(("volume", "svc-data", "/app/data"), (mount.Type, mount.Source, mount.Target));
        Assert.Contains("/tmp", parameters.HostConfig.Tmpfs!.Keys);
        Assert.Equal("127.0.0.1:5000/svc@sha256:abc", parameters.Labels![LocalContainerSpec.ImageLabel]);
        Assert.Contains("Database__Provider=Sqlite", parameters.Env);
        Assert.Contains("Authentication__DeveloperMode=true", parameters.Env);
        Assert.Contains("ASPNETCORE_ENVIRONMENT=Development", parameters.Env);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000/team", true)]
    [InlineData("127.0.0.1:5001", false)]
    [InlineData("ghcr.io/acme", false)]
    public void Only_a_push_to_the_local_registry_starts_it(string registry, bool local)
        => Assert.Equal(local, LocalRegistryWhenUsed.IsLocal(registry, 5000));

    [Fact]
    public void Prod_needs_a_confirmation()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => DeployGateDecision.Check("prod", Environments, productionConfirmed: false));

        Assert.Contains("--confirm-production", refused.Message, StringComparison.Ordinal);
        Assert.Contains("DEPLOY_APPROVED=true", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Deploying to prod (confirmed).", DeployGateDecision.Check("prod", Environments, productionConfirmed: true));
        Assert.Equal("Deploying to local.", DeployGateDecision.Check("local", Environments, productionConfirmed: false));
    }

    [Theory]
    [InlineData(null, "--env local|dev|staging|prod")]
    [InlineData("qa", "--env qa is not an environment")]
    public void Deploy_without_a_known_environment_says_which_exist(string? environment, string expected)
        => Assert.Contains(expected, Assert.Throws<InvalidOperationException>(() => DeployGateDecision.Check(environment, Environments, false)).Message, StringComparison.Ordinal);
}
