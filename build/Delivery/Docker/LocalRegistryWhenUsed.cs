using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// The local registry, provisioned only when the build pushes to it (the registry parameter names its address or
/// <c>localhost</c> with its port); pushing to any other registry needs nothing started here.
/// </summary>
public sealed class LocalRegistryWhenUsed(LocalRegistry registry, Func<string> pushRegistry) : IToolRequirement
{
    public string Name => registry.Name;

    public bool IsUsed => IsLocal(pushRegistry(), registry.Port);

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => IsUsed ? registry.CheckAsync(context, cancellationToken) : Task.FromResult(RequirementCheck.Present($"not needed: pushing to {pushRegistry()}"));

    public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => IsUsed ? registry.EnsureAsync(context, cancellationToken) : Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>CI jobs push to the registry their <c>DOCKER_REGISTRY</c> variable names, never to one started in the job.</summary>
    public string? UnmetOn(DeclaredMachine machine) => null;

    /// <summary><c>127.0.0.1:5000</c> or <c>localhost:5000</c>, optionally with a namespace path after it.</summary>
    public static bool IsLocal(string pushRegistry, int port)
    {
        var host = pushRegistry.Trim().Split('/')[0];
        return host == $"127.0.0.1:{port}" || host == $"localhost:{port}";
    }
}
