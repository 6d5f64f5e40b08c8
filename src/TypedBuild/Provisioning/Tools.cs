using TypedBuild.Provisioning.Daemons;

namespace TypedBuild.Provisioning;

/// <summary>
/// One shared instance of each common requirement, so targets that declare the same tool share one provisioning
/// step (the executor deduplicates by instance).
/// </summary>
public static class Tools
{
    public static DotNetLocalTools DotNetLocalTools { get; } = new();

    public static HelmTool Helm3 => HelmTool.V3;

    public static HelmTool Helm4 => HelmTool.V4;

    public static NodeRuntime Node22 => NodeRuntime.V22;

    public static DockerEngine Docker { get; } = new();

    public static LocalRegistry Registry { get; } = new();

    public static AptPackage Rsync { get; } = new("rsync", "rsync");

    public static AptPackage Hyperfine { get; } = new("hyperfine", "hyperfine");

    public static HeadlessBrowser HeadlessBrowser { get; } = new();
}
