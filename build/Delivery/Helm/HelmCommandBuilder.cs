using System.Globalization;

namespace ExampleService.Build.Delivery.Helm;

/// <summary>
/// The exact argument lists of the Helm commands the build runs, for the Helm major in use. Pure, so tests can
/// assert every command line for Helm 3 and Helm 4 without a binary or a cluster.
/// </summary>
public sealed class HelmCommandBuilder(HelmVersion version)
{
    /// <summary>Revisions Helm keeps per release; enough to roll back a few deploys, small enough for etcd.</summary>
    public const int HistoryMax = 10;

    public HelmVersion Version { get; } = version;

    public static IReadOnlyList<string> VersionQuery() => ["version", "--short"];

    /// <summary>
    /// Installs or upgrades, waits for readiness and rolls back by itself on failure: Helm 3 <c>--atomic</c>,
    /// Helm 4 <c>--rollback-on-failure</c> with the <c>watcher</c> wait strategy (kstatus: every resource Current).
    /// </summary>
    public IReadOnlyList<string> UpgradeInstall(HelmUpgradeRequest request)
    {
        List<string> args = ["upgrade", "--install", request.Release.Name, request.Chart, .. Target(request.Release), "--create-namespace", "--values", request.ValuesFile];
        foreach (var (key, value) in request.Values)
        {
            args.AddRange(["--set", $"{key}={value}"]);
        }

        args.AddRange(Version.HasWaitStrategies ? ["--rollback-on-failure", WaitFlag] : ["--atomic", WaitFlag]);
        args.AddRange(["--timeout", Duration(request.Timeout), "--cleanup-on-fail", "--history-max", HistoryMax.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    public IReadOnlyList<string> History(HelmRelease release) => ["history", release.Name, .. Target(release), "--output", "json"];

    public IReadOnlyList<string> Rollback(HelmRelease release, int revision, TimeSpan timeout) =>
        ["rollback", release.Name, revision.ToString(CultureInfo.InvariantCulture), .. Target(release), WaitFlag, "--timeout", Duration(timeout), "--cleanup-on-fail", "--history-max", HistoryMax.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The values a revision was deployed with (HelmDeploy's <c>image.digest</c> among them), as JSON.</summary>
    public IReadOnlyList<string> GetValues(HelmRelease release, int revision) =>
        ["get", "values", release.Name, .. Target(release), "--revision", revision.ToString(CultureInfo.InvariantCulture), "--output", "json"];

    public IReadOnlyList<string> Uninstall(HelmRelease release, TimeSpan timeout) =>
        ["uninstall", release.Name, .. Target(release), WaitFlag, "--timeout", Duration(timeout)];

    public IReadOnlyList<string> Test(HelmRelease release, TimeSpan timeout) =>
        ["test", release.Name, .. Target(release), "--logs", "--timeout", Duration(timeout)];

    public static IReadOnlyList<string> Lint(string chart, string valuesFile) => ["lint", chart, "--strict", "--values", valuesFile];

    public static IReadOnlyList<string> Template(string releaseName, string chart, string @namespace, string valuesFile, IEnumerable<KeyValuePair<string, string>>? values = null)
    {
        List<string> args = ["template", releaseName, chart, "--namespace", @namespace, "--values", valuesFile];
        foreach (var (key, value) in values ?? [])
        {
            args.AddRange(["--set", $"{key}={value}"]);
        }

        return args;
    }

    /// <summary>Packages the chart; <paramref name="version"/> and <paramref name="appVersion"/> override Chart.yaml's (the build's version).</summary>
    public static IReadOnlyList<string> Package(string chart, string destination, string? version = null, string? appVersion = null) =>
    [
        "package", chart, "--destination", destination,
        .. version is null ? Array.Empty<string>() : ["--version", version],
        .. appVersion is null ? Array.Empty<string>() : ["--app-version", appVersion],
    ];

    /// <summary>Pushes a packaged chart to an OCI registry; <paramref name="plainHttp"/> for a local registry without TLS.</summary>
    public static IReadOnlyList<string> Push(string packagePath, string ociRepository, bool plainHttp) =>
        ["push", packagePath, ociRepository, .. PlainHttp(plainHttp)];

    public static IReadOnlyList<string> Pull(string chartReference, string chartVersion, string destination, bool plainHttp) =>
        ["pull", chartReference, "--version", chartVersion, "--destination", destination, .. PlainHttp(plainHttp)];

    /// <summary>Helm 3: <c>--wait</c> (legacy readiness checks). Helm 4: the <c>watcher</c> strategy, written out because bare <c>--wait</c> only means it implicitly.</summary>
    private string WaitFlag => Version.HasWaitStrategies ? "--wait=watcher" : "--wait";

    private static string[] Target(HelmRelease release) => ["--namespace", release.Namespace, "--kube-context", release.KubeContext];

    private static string[] PlainHttp(bool plainHttp) => plainHttp ? ["--plain-http"] : [];

    /// <summary>A Go duration Helm accepts, in whole seconds.</summary>
    private static string Duration(TimeSpan timeout) =>
        timeout > TimeSpan.Zero
            ? $"{(long)Math.Ceiling(timeout.TotalSeconds)}s"
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A Helm timeout must be positive.");
}
