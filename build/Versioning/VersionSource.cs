namespace ExampleService.Build.Versioning;

/// <summary>What the version depends on besides <c>version.txt</c>: where the build runs and which commit it builds.</summary>
public sealed record VersionSource(
    bool IsServerBuild,
    string? Branch = null,
    string? Tag = null,
    string? Commit = null,
    string? BuildNumber = null,
    string? PullRequestNumber = null);
