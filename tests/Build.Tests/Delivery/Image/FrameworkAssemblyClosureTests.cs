using System.Text.Json;
using ExampleService.Build.Delivery.Image;

namespace Build.Tests.Delivery.Image;

public sealed class FrameworkAssemblyClosureTests : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("closure-app-");

    private static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    /// <summary>A stand-in app: an app-local System.Text.Json and a native library with a .dll name.</summary>
    public FrameworkAssemblyClosureTests()
    {
        File.Copy(typeof(JsonSerializer).Assembly.Location, Path.Combine(_app.FullName, "System.Text.Json.dll"));
        File.WriteAllText(Path.Combine(_app.FullName, "native.dll"), "not a PE file");
    }

    [Fact]
    public void Keeps_what_the_app_references_directly_and_through_the_framework_and_what_the_runtime_loads_by_name()
    {
        var closure = FrameworkAssemblyClosure.Of(_app.FullName, [RuntimeDirectory]);

        Assert.Contains("System.Text.Json", closure);
        Assert.Contains("System.Runtime", closure);
        // Referenced by System.Text.Json only.
        Assert.Contains("System.Text.Encodings.Web", closure);
        Assert.Contains("System.Private.CoreLib", closure);
        Assert.Contains("System.Diagnostics.StackTrace", closure);
    }

    [Fact]
    public void Leaves_out_what_nothing_references_and_what_is_not_part_of_the_framework()
    {
        var closure = FrameworkAssemblyClosure.Of(_app.FullName, [RuntimeDirectory]);
        var framework = Directory.EnumerateFiles(RuntimeDirectory, "*.dll").Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.DoesNotContain("Microsoft.VisualBasic.Core", closure);
        Assert.DoesNotContain("System.Formats.Tar", closure);
        Assert.DoesNotContain("mscorlib", closure);
        Assert.DoesNotContain("native", closure);
        Assert.True(closure.Count < framework.Count / 2, $"{closure.Count} of {framework.Count} framework assemblies kept");
    }

    [Fact]
    public void An_unpublished_app_is_reported_with_what_to_do()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => FrameworkAssemblyClosure.Of(Path.Combine(_app.FullName, "missing"), [RuntimeDirectory]));

        Assert.Contains("publish the service", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Delete(recursive: true);
}
