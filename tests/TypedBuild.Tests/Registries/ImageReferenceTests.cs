using TypedBuild.Registries;

namespace TypedBuild.Tests.Registries;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("localhost:5000/example-service", "localhost:5000", "example-service")]
    [InlineData("127.0.0.1:5000/team/app", "127.0.0.1:5000", "team/app")]
    [InlineData("ghcr.io/owner/example-service", "ghcr.io", "owner/example-service")]
    [InlineData("library/nginx", "docker.io", "library/nginx")]
    public void Image_reference_splits_registry_and_path(string repository, string registry, string path)
    {
        Assert.Equal(registry, ImageReference.RegistryOf(repository));
        Assert.Equal(path, ImageReference.PathOf(repository));
    }

    [Theory]
    [InlineData("http://localhost:5000", "example-service")]
    [InlineData("localhost:5000", "Example-Service")]
    [InlineData("", "example-service")]
    public void Repository_rejects_schemes_upper_case_and_empty_parts(string registry, string path)
    {
        Assert.Throws<ArgumentException>(() => ImageReference.Repository(registry, path));
    }
}
