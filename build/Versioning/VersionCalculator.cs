using System.Text.RegularExpressions;

namespace ExampleService.Build.Versioning;

/// <summary>
/// Derives the build version from <c>version.txt</c> and git:
/// local builds and CI builds of release branches get <c>1.0.0+abc1234</c>; other CI builds a pre-release
/// <c>1.0.0-feature-x.42+abc1234</c> (pull requests <c>1.0.0-pr-7.42</c>); a tag must equal the version (<c>v1.0.0</c>).
/// </summary>
public static partial class VersionCalculator
{
    const int CommitShortLength = 7;
    const int MaxLabelLength = 40;

    public static IReadOnlyList<string> DefaultReleaseBranches { get; } = ["main", "master", "release/*"];

    /// <summary>Reads and validates <c>version.txt</c>: one line <c>MAJOR.MINOR.PATCH</c>.</summary>
    public static string ReadBaseVersion(string versionFile)
    {
        if (!File.Exists(versionFile))
        {
            throw new InvalidOperationException(
                $"{versionFile} is missing: create it with the release version, e.g. `echo 1.0.0 > version.txt`.");
        }

        return ParseBaseVersion(File.ReadAllText(versionFile), versionFile);
    }

    public static string ParseBaseVersion(string text, string origin = "version.txt")
    {
        var version = text.Trim();
        if (!BaseVersionPattern().IsMatch(version))
        {
            throw new InvalidOperationException(
                $"{origin} contains '{version}', which is not a version MAJOR.MINOR.PATCH (e.g. 1.4.0). " +
                "Pre-release suffixes are added by the build; write only the release number.");
        }

        return version;
    }

    public static BuildVersion Compute(string baseVersion, VersionSource source, IReadOnlyList<string>? releaseBranches = null)
    {
        var commitShort = string.IsNullOrWhiteSpace(source.Commit)
            ? null
            : source.Commit.Trim()[..Math.Min(CommitShortLength, source.Commit.Trim().Length)];
        var metadata = commitShort is null ? "" : "+" + commitShort;

        if (!string.IsNullOrWhiteSpace(source.Tag))
        {
            var tagVersion = source.Tag.StartsWith('v') ? source.Tag[1..] : source.Tag;
            if (tagVersion != baseVersion)
            {
                throw new InvalidOperationException(
                    $"Tag '{source.Tag}' does not match version.txt ({baseVersion}). Release tags must be v{baseVersion}: " +
                    $"either tag the commit v{baseVersion}, or set version.txt to {tagVersion} in the tagged commit.");
            }

            return new BuildVersion(baseVersion, baseVersion + metadata, commitShort);
        }

        var label = PreReleaseLabel(source, releaseBranches ?? DefaultReleaseBranches);
        var semVer = label is null ? baseVersion : $"{baseVersion}-{label}";
        return new BuildVersion(semVer, semVer + metadata, commitShort);
    }

    static string? PreReleaseLabel(VersionSource source, IReadOnlyList<string> releaseBranches)
    {
        if (!source.IsServerBuild)
        {
            return null;
        }

        string name;
        if (!string.IsNullOrWhiteSpace(source.PullRequestNumber))
        {
            name = "pr-" + source.PullRequestNumber.Trim();
        }
        else if (string.IsNullOrWhiteSpace(source.Branch) || IsReleaseBranch(source.Branch, releaseBranches))
        {
            return null;
        }
        else
        {
            name = source.Branch;
        }

        var label = SanitizeLabel(name);
        var buildNumber = source.BuildNumber?.Trim();
        return string.IsNullOrEmpty(buildNumber) || !buildNumber.All(char.IsAsciiDigit)
            ? label
            : $"{label}.{buildNumber.TrimStart('0').PadLeft(1, '0')}";
    }

    static bool IsReleaseBranch(string branch, IReadOnlyList<string> releaseBranches)
        => releaseBranches.Any(pattern => pattern.EndsWith("/*", StringComparison.Ordinal)
            ? branch.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : branch == pattern);

    /// <summary>
    /// Turns a branch name into one SemVer pre-release identifier that is also valid in image tags:
    /// lower case, <c>[0-9a-z-]</c> only, no leading digit-only form.
    /// </summary>
    public static string SanitizeLabel(string name)
    {
        var label = InvalidLabelCharacters().Replace(name.ToLowerInvariant(), "-").Trim('-');
        if (label.Length > MaxLabelLength)
        {
            label = label[..MaxLabelLength].TrimEnd('-');
        }

        return label.Length == 0 || label.All(char.IsAsciiDigit) ? "b" + label : label;
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex BaseVersionPattern();

    [GeneratedRegex("[^0-9a-z]+")]
    private static partial Regex InvalidLabelCharacters();
}
