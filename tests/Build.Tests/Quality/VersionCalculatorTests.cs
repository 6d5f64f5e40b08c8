using ExampleService.Build.Versioning;

namespace Build.Tests.Quality;

public class VersionCalculatorTests
{
    private const string Commit = "abc1234def5678";

    [Fact]
    public void Local_build_is_the_release_number_with_the_commit_as_metadata()
    {
        var version = VersionCalculator.Compute("1.0.0", new VersionSource(IsServerBuild: false, Branch: "feature/x", Commit: Commit));

        Assert.Equal("1.0.0", version.SemVer);
        Assert.Equal("1.0.0+abc1234", version.InformationalVersion);
        Assert.Equal("abc1234", version.CommitShort);
        Assert.False(version.IsPreRelease);
    }

    [Fact]
    public void Ci_build_of_a_feature_branch_is_a_pre_release_with_sanitized_branch_and_build_number()
    {
        var version = VersionCalculator.Compute("1.0.0", new VersionSource(true, Branch: "feature/Add_Users", Commit: Commit, BuildNumber: "42"));

        Assert.Equal("1.0.0-feature-add-users.42", version.SemVer);
        Assert.Equal("1.0.0-feature-add-users.42+abc1234", version.InformationalVersion);
        Assert.True(version.IsPreRelease);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("release/1.0")]
    public void Ci_build_of_a_release_branch_has_no_pre_release_suffix(string branch)
    {
        var version = VersionCalculator.Compute("1.0.0", new VersionSource(true, Branch: branch, Commit: Commit, BuildNumber: "42"));

        Assert.Equal("1.0.0", version.SemVer);
        Assert.Equal("1.0.0+abc1234", version.InformationalVersion);
    }

    [Fact]
    public void Pull_request_build_is_labelled_with_its_number()
    {
        var version = VersionCalculator.Compute("2.1.0", new VersionSource(true, Branch: "main", Commit: Commit, BuildNumber: "7", PullRequestNumber: "12"));

        Assert.Equal("2.1.0-pr-12.7", version.SemVer);
    }

    [Fact]
    public void Matching_tag_builds_the_release_version()
    {
        var version = VersionCalculator.Compute("1.0.0", new VersionSource(true, Branch: "feature/x", Tag: "v1.0.0", Commit: Commit, BuildNumber: "3"));

        Assert.Equal("1.0.0", version.SemVer);
        Assert.Equal("1.0.0+abc1234", version.InformationalVersion);
    }

    [Fact]
    public void Tag_that_disagrees_with_version_txt_is_an_error_naming_both()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => VersionCalculator.Compute("1.0.0", new VersionSource(true, Tag: "v1.2.0", Commit: Commit)));

        Assert.Contains("v1.2.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("version.txt (1.0.0)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_commit_there_is_no_build_metadata()
    {
        var version = VersionCalculator.Compute("1.0.0", new VersionSource(false));

        Assert.Equal("1.0.0", version.InformationalVersion);
        Assert.Null(version.CommitShort);
    }

    [Theory]
    [InlineData("Feature/ÜBER--cool__thing/", "feature-ber-cool-thing")]
    [InlineData("1234", "b1234")]
    [InlineData("dependabot/nuget/src/ExampleService/Microsoft.EntityFrameworkCore-10.0.15", "dependabot-nuget-src-exampleservice-micr")]
    public void Branch_names_become_valid_pre_release_identifiers(string branch, string expected)
        => Assert.Equal(expected, VersionCalculator.SanitizeLabel(branch));

    [Theory]
    [InlineData("1.0.0\n", "1.0.0")]
    [InlineData("  10.20.30 ", "10.20.30")]
    public void Version_txt_is_trimmed(string text, string expected)
        => Assert.Equal(expected, VersionCalculator.ParseBaseVersion(text));

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0-beta")]
    [InlineData("")]
    public void Malformed_version_txt_is_an_error_that_shows_the_expected_form(string text)
    {
        var error = Assert.Throws<InvalidOperationException>(() => VersionCalculator.ParseBaseVersion(text));

        Assert.Contains("MAJOR.MINOR.PATCH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_version_txt_says_how_to_create_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => VersionCalculator.ReadBaseVersion("/nonexistent/version.txt"));

        Assert.Contains("echo 1.0.0 > version.txt", error.Message, StringComparison.Ordinal);
    }
}
