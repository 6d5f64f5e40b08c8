using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class LocalDeploymentTests
{
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
}
