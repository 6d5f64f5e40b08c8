namespace TypedBuild.Provisioning;

/// <summary>
/// A requirement that binds on CI hosts only. Locally its absence is fine (the tests that need a database or an
/// engine skip themselves), on CI it is provisioned or fails the build before anything runs. Declared unconditionally,
/// so the CI generator sees it in every job that plans its target.
/// </summary>
public sealed class ServerBuildOnly(IToolRequirement tool) : IToolRequirement
{
    public IToolRequirement Tool { get; } = tool;

    public string Name => Tool.Name;

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => context.IsServerBuild ? Tool.CheckAsync(context, cancellationToken) : Task.FromResult(RequirementCheck.Present("needed on CI only"));

    public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => context.IsServerBuild ? Tool.EnsureAsync(context, cancellationToken) : Task.FromResult<IAsyncDisposable?>(null);

    public string? UnmetOn(DeclaredMachine machine) => Tool.UnmetOn(machine);
}
