namespace TypedBuild.Provisioning;

/// <summary>
/// A Chromium that can render a page to a screenshot without a display: the first of <see cref="Executables"/> on
/// PATH (Debian's <c>chromium-headless-shell</c> or <c>chromium</c>, or Google Chrome, which GitHub's hosted runners
/// have), else Debian's <c>chromium-headless-shell</c>, installed the way any <see cref="AptPackage"/> is.
/// </summary>
public sealed class HeadlessBrowser : IToolRequirement
{
    private readonly AptPackage _package = new("chromium-headless-shell", "chromium-headless-shell");

    /// <summary>The browsers that render headless, the smallest first.</summary>
    public static IReadOnlyList<string> Executables { get; } = ["chromium-headless-shell", "chromium", "google-chrome-stable", "google-chrome"];

    public string Name => "a headless Chromium (chromium-headless-shell, chromium or google-chrome)";

    /// <summary>The full path of the first browser on PATH, or null.</summary>
    public static string? Find() => Executables.Select(Provisioning.Executables.FindOnPath).FirstOrDefault(path => path is not null);

    public Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => Find() is { } path ? Task.FromResult(RequirementCheck.Present(path)) : _package.CheckAsync(context, cancellationToken);

    public Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
        => Find() is null ? _package.EnsureAsync(context, cancellationToken) : Task.FromResult<IAsyncDisposable?>(null);

    public string? UnmetOn(DeclaredMachine machine)
        => Executables.Any(machine.Has) ? null : _package.UnmetOn(machine);
}
