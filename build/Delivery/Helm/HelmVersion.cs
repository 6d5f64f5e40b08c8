using System.Globalization;
using System.Text.RegularExpressions;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>The version of the <c>helm</c> binary in use; its major decides which flags a command gets.</summary>
public sealed partial record HelmVersion(int Major, int Minor, int Patch)
{
    /// <summary>Helm 4 renamed <c>--atomic</c> to <c>--rollback-on-failure</c> and turned <c>--wait</c> into a strategy.</summary>
    public bool HasWaitStrategies => Major >= 4;

    /// <summary>Parses the output of <c>helm version --short</c>, e.g. <c>v3.18.0+gcc58e3f</c> or <c>v4.1.4+g05fa379</c>.</summary>
    public static HelmVersion Parse(string versionOutput)
    {
        var match = VersionPattern().Match(versionOutput ?? string.Empty);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"Cannot read a Helm version from '{versionOutput?.Trim()}' (expected the output of 'helm version --short', like v3.18.0+gcc58e3f). Check --helm-path.");
        }

        var version = new HelmVersion(Number(match, "major"), Number(match, "minor"), Number(match, "patch"));
        return version.Major >= 3
            ? version
            : throw new InvalidOperationException($"Helm {version} is not supported: install Helm 3 or Helm 4 (see 'Deploying to Kubernetes' in README.md).");
    }

    public override string ToString() => $"v{Major}.{Minor}.{Patch}";

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"v(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)")]
    private static partial Regex VersionPattern();
}
