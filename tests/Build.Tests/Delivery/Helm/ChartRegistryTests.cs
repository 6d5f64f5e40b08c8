using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ExampleService.Build.Delivery.Helm;

namespace ExampleService.Build.Tests.Delivery.Helm;

/// <summary>
/// The chart packaged and pushed as an OCI artifact to the local registry (Debian's docker-registry on
/// 127.0.0.1:5000, provisioned by the engine), then pulled and rendered from there by the other Helm major.
/// </summary>
[Collection(HelmToolchainGroup.Name)]
public sealed class ChartRegistryTests(HelmToolchain toolchain)
{
    [Theory]
    [InlineData(3, 4)]
    [InlineData(4, 3)]
    public async Task A_chart_pushed_by_one_major_is_pulled_and_rendered_by_the_other(int pusher, int puller)
    {
        var version = $"0.1.0-test.{Guid.NewGuid():N}"[..30];
        var work = Directory.CreateTempSubdirectory("chart-oci-").FullName;
        try
        {
            await toolchain.RunHelmAsync(pusher, HelmCommandBuilder.Package(HelmToolchain.ChartDirectory, work, version, "9.9.9"));
            var package = Path.Combine(work, $"example-service-{version}.tgz");
            Assert.True(File.Exists(package), $"helm package wrote no {package}");

            var pushed = await toolchain.RunHelmAsync(pusher, HelmCommandBuilder.Push(package, toolchain.Registry.OciRepository("charts"), plainHttp: true));
            Assert.Contains("Digest: sha256:", pushed.StandardOutput + pushed.StandardError, StringComparison.Ordinal);
            Assert.Contains(version, await TagsAsync("charts/example-service"));

            var reference = toolchain.Registry.OciRepository("charts/example-service");
            var pulledTo = Directory.CreateDirectory(Path.Combine(work, "pulled")).FullName;
            await toolchain.RunHelmAsync(puller, HelmCommandBuilder.Pull(reference, version, pulledTo, plainHttp: true));
            Assert.True(File.Exists(Path.Combine(pulledTo, $"example-service-{version}.tgz")));

            var rendered = await toolchain.RunHelmAsync(puller, [.. HelmCommandBuilder.Template(
                RenderedChart.Release, reference, RenderedChart.Namespace, RenderedChart.ValuesFile("prod"), RenderedChart.ImageValues), "--version", version, "--plain-http"]);
            Assert.Contains($"helm.sh/chart: example-service-{version}", rendered.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"image: \"{RenderedChart.Repository}@{RenderedChart.Digest}\"", rendered.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var http = new HttpClient();
        var list = await http.GetFromJsonAsync<TagList>(new Uri($"http://{toolchain.Registry.Address}/v2/{repository}/tags/list"));
        return list?.Tags ?? [];
    }

    private sealed record TagList([property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags);
}
