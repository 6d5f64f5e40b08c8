using ExampleService.Build.Delivery.Image;
using TypedBuild;

namespace Build.Tests.Delivery.Image;

public sealed class ImageBuildArgumentsTests
{
    [Fact]
    public void Arguments_carry_base_publish_folder_and_oci_label_values()
    {
        var arguments = ImageBuildArguments.For("base:1", "artifacts/image/standard", "1.2.3", " abc123 ", "acme/users", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));

        Assert.Equal("base:1", arguments["BASE_IMAGE"]);
        Assert.Equal("artifacts/image/standard", arguments["PUBLISH_DIR"]);
        Assert.Equal("1.2.3", arguments["VERSION"]);
        Assert.Equal("abc123", arguments["REVISION"]);
        Assert.Equal("https://github.com/acme/users", arguments["SOURCE"]);
        Assert.Equal("2026-01-02T01:04:05Z", arguments["CREATED"]);
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData("https://user:token@gitlab.example.com/team/users.git", "https://gitlab.example.com/team/users")]
    [InlineData("git@github.com:acme/users.git", "git@github.com:acme/users")]
    public void Source_urls_are_browsable_and_never_carry_credentials(string? repository, string expected)
        => Assert.Equal(expected, ImageBuildArguments.SourceUrl(repository));

    [Fact]
    public void Missing_revision_is_marked_unknown()
        => Assert.Equal(ImageBuildArguments.UnknownRevision, ImageBuildArguments.For("b", "p", "1.0.0", null, null, DateTimeOffset.UnixEpoch)["REVISION"]);

    [Fact]
    public void Variants_publish_into_their_own_context_folder_with_their_switches()
    {
        var root = AbsolutePath.Create(Path.GetTempPath()) / "repo";
        var staging = new ImageStaging(root, root / ".nuke" / "temp" / "image-publish");
        var trimmed = staging.PublishArguments(new ServicePublishRequest(root / "src" / "App" / "App.csproj", ImageVariant.Trimmed, "1.0.0", "1.0.0+abc"));
        var standard = staging.PublishArguments(new ServicePublishRequest(root / "src" / "App" / "App.csproj", ImageVariant.Standard, "1.0.0", "1.0.0+abc"));

        Assert.Equal("artifacts/image/trimmed", staging.PublishDirArgument(ImageVariant.Trimmed));
        Assert.Contains("-p:PublishTrimmed=true", trimmed);
        Assert.Contains("-p:PublishSingleFile=true", trimmed);
        Assert.Contains("-p:EnableCompressionInSingleFile=true", trimmed);
        Assert.Contains(root / "artifacts" / "image" / "trimmed" / "app", trimmed.Select(a => a));
        Assert.Contains("linux-x64", standard);
        Assert.DoesNotContain("-p:PublishTrimmed=true", standard);
        Assert.DoesNotContain("-p:PublishSingleFile=true", standard);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", ImageVariant.Standard.DefaultBaseImage());
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0", ImageVariant.Trimmed.DefaultBaseImage());
        Assert.Equal("-trimmed", ImageVariant.Trimmed.TagSuffix());
        Assert.Equal(LocalBaseKind.RuntimeDeps, ImageVariant.Trimmed.LocalBase());
    }
}
