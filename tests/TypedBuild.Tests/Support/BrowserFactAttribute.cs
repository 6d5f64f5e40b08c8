using TypedBuild.Provisioning;

namespace TypedBuild.Tests.Support;

/// <summary>
/// A fact that renders a page in a <see cref="HeadlessBrowser"/>. Skipped locally when none is on PATH; in CI
/// (<c>CI=true</c>) it always runs, since the build provisions one before Test, so a missing browser fails.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!isCi && HeadlessBrowser.Find() is null)
        {
            Skip = $"No headless browser on PATH ({string.Join(", ", HeadlessBrowser.Executables)}); apt-get install chromium-headless-shell. Required when CI=true.";
        }
    }
}
