using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class BuiltImageTests
{
    [Fact]
    public void Size_is_given_in_both_units_docker_images_and_budgets_use()
        => Assert.Equal("118.6 MiB (124.4 MB)", new BuiltImage("sha256:1", 124_400_000, []).SizeText);
}
