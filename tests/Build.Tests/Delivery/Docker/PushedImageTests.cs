using ExampleService.Build.Delivery.Image;
using TypedBuild;

namespace Build.Tests.Delivery.Docker;

public sealed class PushedImageTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly AbsolutePath _root = AbsolutePath.Create(Path.Combine(Path.GetTempPath(), "pushed-image-" + Guid.NewGuid().ToString("N")));

    [Fact]
    public void Save_then_Load_round_trips_every_field()
    {
        var image = PushedImage.Create("localhost:5000/example-service", Digest, ["1.2.3", "abc1234", "main"], "1.2.3");
        var path = PushedImage.DefaultPath(_root);

        image.Save(path);
        var loaded = PushedImage.Load(path);

        Assert.Equal(image.Repository, loaded.Repository);
        Assert.Equal(image.Digest, loaded.Digest);
        Assert.Equal("localhost:5000/example-service@" + Digest, loaded.Reference);
        Assert.Equal(["1.2.3", "abc1234", "main"], loaded.Tags);
        Assert.Equal("1.2.3", loaded.Version);
        Assert.Equal(_root / "artifacts" / "image.json", path);
    }

    [Fact]
    public void Saved_file_uses_camel_case_names_other_tools_can_read()
    {
        var path = PushedImage.DefaultPath(_root);
        PushedImage.Create("localhost:5000/example-service", Digest, ["1.2.3"], "1.2.3").Save(path);

        var json = File.ReadAllText(path);

        Assert.Contains("\"repository\": \"localhost:5000/example-service\"", json, StringComparison.Ordinal);
        Assert.Contains("\"digest\": \"" + Digest + "\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reference\": \"localhost:5000/example-service@" + Digest + "\"", json, StringComparison.Ordinal);
        Assert.Contains("\"tags\": [", json, StringComparison.Ordinal);
        Assert.Contains("\"version\": \"1.2.3\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_a_missing_file_says_to_run_Push()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PushedImage.Load(PushedImage.DefaultPath(_root)));

        Assert.Contains("./build.sh Push", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:1234")]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("latest")]
    public void Create_rejects_a_digest_that_is_not_sha256(string digest)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PushedImage.Create("localhost:5000/example-service", digest, [], "1.0.0"));

        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_a_reference_that_does_not_match_repository_and_digest()
    {
        var path = PushedImage.DefaultPath(_root);
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, $$"""
            {"repository":"localhost:5000/example-service","digest":"{{Digest}}","reference":"localhost:5000/example-service:latest","tags":[],"version":"1.0.0"}
            """);

        var error = Assert.Throws<InvalidOperationException>(() => PushedImage.Load(path));

        Assert.Contains("reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_of_malformed_json_names_the_file()
    {
        var path = PushedImage.DefaultPath(_root);
        Directory.CreateDirectory(path.Parent);
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<InvalidOperationException>(() => PushedImage.Load(path));

        Assert.Contains(path.Value, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
