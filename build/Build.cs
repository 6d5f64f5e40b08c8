using ExampleService.Build.Versioning;
using TypedBuild;

namespace ExampleService.Build;

/// <summary>ExampleService's pipeline. One concern per <c>Build.*.cs</c> file.</summary>
partial class Build : BuildBase
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Compile);

    [Parameter("Build configuration (default: Release on CI servers, Debug locally)", Name = "Configuration")]
    readonly Configuration? ConfigurationOverride;

    Configuration Configuration => ConfigurationOverride ?? (IsServerBuild ? Configuration.Release : Configuration.Debug);

    AbsolutePath Solution => RootDirectory / "ExampleService.sln";

    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    BuildVersion? computedVersion;

    /// <summary>The version of everything this build produces: assemblies, images, charts. Computed once.</summary>
    BuildVersion Version => computedVersion ??= VersionCalculator.Compute(
        VersionCalculator.ReadBaseVersion(RootDirectory / "version.txt"),
        new VersionSource(IsServerBuild, Host.Branch, Host.Tag, Host.Commit, Host.BuildNumber, Host.PullRequestNumber));
}

enum Configuration
{
    Debug,
    Release,
}
