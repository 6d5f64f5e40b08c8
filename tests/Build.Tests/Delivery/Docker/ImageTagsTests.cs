using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class ImageTagsTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("refs/heads/feature/Add-Users", "feature-add-users")]
    [InlineData("Feature/ÜBER cool!!", "feature-ber-cool")]
    [InlineData("-.hidden", "hidden")]
    [InlineData("release/1.2.x", "release-1.2.x")]
    [InlineData("dependabot/nuget/Foo_Bar-1.0", "dependabot-nuget-foo_bar-1.0")]
    public void Branch_becomes_a_lower_case_tag_of_allowed_characters(string branch, string expected)
    {
        Assert.Equal(expected, ImageTags.FromBranch(branch));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("HEAD")]
    [InlineData("///")]
    public void Detached_or_unusable_branch_gives_no_tag(string? branch)
    {
        Assert.Null(ImageTags.FromBranch(branch));
    }

    [Fact]
    public void Long_branch_is_cut_to_128_characters()
    {
        var tag = ImageTags.FromBranch("feature/" + new string('x', 300));

        Assert.NotNull(tag);
        Assert.Equal(ImageTags.MaxLength, tag.Length);
        Assert.Matches("^[a-z0-9_][a-z0-9._-]{0,127}$", tag);
    }

    [Fact]
    public void A_build_tags_short_sha_and_branch_never_a_version()
    {
        var tags = ImageTags.For("0123456789ABCDEF0123456789abcdef01234567", "refs/heads/main");

        Assert.Equal(["0123456", "main"], tags);
        Assert.Equal(["release-1.4"], ImageTags.For(null, "release/1.4"));
        Assert.Equal(["local"], ImageTags.For(null, null));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("not-a-sha-at-all")]
    [InlineData(null)]
    public void Short_sha_needs_a_hex_commit(string? commit)
    {
        Assert.Null(ImageTags.ShortSha(commit));
    }
}
