namespace ExampleService.Build.Versioning;

/// <summary>
/// The version every artifact of one build carries. <see cref="SemVer"/> goes into assembly versions, image tags and
/// chart versions; <see cref="InformationalVersion"/> adds the commit as build metadata (<c>1.0.0+abc1234</c>).
/// </summary>
public sealed record BuildVersion(string SemVer, string InformationalVersion, string? CommitShort)
{
    public bool IsPreRelease => SemVer.Contains('-', StringComparison.Ordinal);

    public override string ToString() => InformationalVersion;
}
