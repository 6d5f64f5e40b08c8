using System.Formats.Tar;
using System.Text.RegularExpressions;
using ExampleService.Build.Delivery.Image;

namespace Build.Tests.Delivery.Image;

public sealed class LocalBaseImageTests
{
    [Fact]
    public async Task Runtime_deps_base_holds_the_native_libraries_certificates_and_app_user_but_no_shell()
    {
        var entries = await EntriesAsync(LocalBaseImage.ForHost(LocalBaseKind.RuntimeDeps));

        Assert.Contains("lib/x86_64-linux-gnu/libc.so.6", entries.Keys);
        Assert.Contains("usr/lib/x86_64-linux-gnu/libssl.so.3", entries.Keys);
        Assert.Contains("etc/ssl/certs/ca-certificates.crt", entries.Keys);
        Assert.Contains("app:x:1654:1654", entries["etc/passwd"], StringComparison.Ordinal);
        Assert.True(entries.ContainsKey("tmp/"));
        Assert.DoesNotContain("bin/sh", entries.Keys);
        Assert.DoesNotContain(entries.Keys, key => key.StartsWith("usr/share/dotnet", StringComparison.Ordinal));
    }

    [Fact]
    public void AspNet_base_adds_the_host_runtime_without_its_debugging_parts()
    {
        // The whole tar (110 MB) is written by the Docker tests; here only the list of runtime files.
        var baseImage = LocalBaseImage.ForHost(LocalBaseKind.AspNet);
        var files = baseImage.DotNetFiles().Select(f => f.Replace('\\', '/')).ToList();

        Assert.Contains("dotnet", files);
        Assert.Contains($"host/fxr/{baseImage.RuntimeVersion}/libhostfxr.so", files);
        Assert.Contains($"shared/Microsoft.NETCore.App/{baseImage.RuntimeVersion}/libcoreclr.so", files);
        Assert.Contains($"shared/Microsoft.AspNetCore.App/{baseImage.RuntimeVersion}/Microsoft.AspNetCore.dll", files);
        Assert.DoesNotContain(files, file => file.EndsWith("/libmscordbi.so", StringComparison.Ordinal) || file.EndsWith("/createdump", StringComparison.Ordinal));
        Assert.Empty(LocalBaseImage.ForHost(LocalBaseKind.RuntimeDeps).DotNetFiles());
        Assert.Equal("example-service-base/aspnet", baseImage.Repository);
        Assert.StartsWith("10.0.", baseImage.Tag, StringComparison.Ordinal);
        Assert.Contains("USER 1654", baseImage.Changes);
        Assert.Contains("ENV ASPNETCORE_HTTP_PORTS=8080", baseImage.Changes);
    }

    [Fact]
    public void AspNet_base_made_for_an_app_carries_only_the_framework_assemblies_it_can_load_and_says_so_in_its_tag()
    {
        var app = Directory.CreateTempSubdirectory("base-app-");
        try
        {
            File.Copy(typeof(System.Text.Json.JsonSerializer).Assembly.Location, Path.Combine(app.FullName, "System.Text.Json.dll"));
            var whole = LocalBaseImage.ForHost(LocalBaseKind.AspNet);

            var forApp = LocalBaseImage.ForHost(LocalBaseKind.AspNet, app.FullName);
            var files = forApp.DotNetFiles().Select(f => Path.GetFileName(f)).ToList();

            Assert.Contains("System.Text.Encodings.Web.dll", files);
            Assert.Contains("libcoreclr.so", files);
            Assert.Contains("Microsoft.NETCore.App.deps.json", files);
            Assert.DoesNotContain("Microsoft.AspNetCore.SignalR.Core.dll", files);
            Assert.Contains("Microsoft.AspNetCore.SignalR.Core.dll", whole.DotNetFiles().Select(f => Path.GetFileName(f)));
            Assert.Matches($"^{Regex.Escape(whole.Tag)}-[0-9a-f]{{12}}$", forApp.Tag);
            Assert.Null(LocalBaseImage.ForHost(LocalBaseKind.RuntimeDeps, app.FullName).FrameworkAssemblies);
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_host_without_dotnet_10_gets_told_to_use_a_real_base_image()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => LocalBaseImage.ForHost(LocalBaseKind.AspNet, hostDotNetRoot: empty));

            Assert.Contains("--docker-base-image", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    /// <summary>Entry names, with the text of small files (passwd) as value.</summary>
    private static async Task<Dictionary<string, string>> EntriesAsync(LocalBaseImage baseImage)
    {
        using var tar = new MemoryStream();
        await baseImage.WriteRootFilesystemAsync(tar, default);
        tar.Position = 0;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            Assert.Equal(0, ((PosixTarEntry)entry).Uid);
            var text = entry.Name.StartsWith("etc/passwd", StringComparison.Ordinal) && entry.DataStream is { } data
                ? await new StreamReader(data).ReadToEndAsync()
                : string.Empty;
            Assert.True(entries.TryAdd(entry.Name, text), $"{entry.Name} is in the tar twice");
        }

        return entries;
    }
}
