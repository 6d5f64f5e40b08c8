using ExampleService.Build.Delivery.Docker;
using TypedBuild;

namespace Build.Tests.Delivery.Docker;

/// <summary>The record a DockerBuild cache entry holds: read back as written, and anything else is no image at all.</summary>
public sealed class CachedImageTests : IDisposable
{
    private readonly AbsolutePath _folder = AbsolutePath.Create(Directory.CreateTempSubdirectory("cached-image-").FullName);

    private AbsolutePath Record => _folder / "artifacts" / "built-image.json";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_saved_record_reads_back_the_same()
    {
        var image = CachedImage.Of(new BuiltImage("sha256:" + new string('a', 64), 117_400_000, ["127.0.0.1:5000/example-service:abc1234", "127.0.0.1:5000/example-service:main"]));

        image.Save(Record);

        var read = CachedImage.TryLoad(Record);
        Assert.NotNull(read);
        Assert.Equal(image.Id, read.Id);
        Assert.Equal(image.Size, read.Size);
        Assert.Equal(image.Names, read.Names);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{\"id\": \"sha256:")]
    [InlineData("{\"id\": \"\", \"size\": 1, \"names\": [\"a:b\"]}")]
    [InlineData("{\"id\": \"sha256:1\", \"size\": 1, \"names\": []}")]
    public void A_missing_damaged_or_incomplete_record_is_no_image(string? content)
    {
        if (content is not null)
        {
            Directory.CreateDirectory(Record.Parent);
            File.WriteAllText(Record, content);
        }

        Assert.Null(CachedImage.TryLoad(Record));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/example-service:abc1234", "127.0.0.1:5000/example-service", "abc1234")]
    [InlineData("localhost:5000/team/app", "localhost:5000/team/app", "latest")]
    [InlineData("ghcr.io/owner/app:main", "ghcr.io/owner/app", "main")]
    public void A_name_splits_into_repository_and_tag_at_the_last_colon_after_the_last_slash(string name, string repository, string tag)
        => Assert.Equal((repository, tag), CachedImageRestorer.Split(name));
}
