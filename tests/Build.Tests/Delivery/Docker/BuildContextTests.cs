using System.Formats.Tar;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

public sealed class BuildContextTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("build-context-").FullName;

    [Fact]
    public async Task Tar_holds_what_dockerignore_lets_through_plus_the_dockerfile()
    {
        Write(".dockerignore", "**\n!artifacts/image/\n");
        Write("src/ExampleService/Dockerfile", "FROM scratch\n");
        Write("src/ExampleService/Program.cs", "// source stays out");
        Write("artifacts/image/app/ExampleService.dll", "binary");
        Write("artifacts/image.json", "{}");
        Write(".git/config", "[core]");
        Directory.CreateDirectory(Path.Combine(_root, "artifacts/image/data"));

        var context = BuildContext.Collect(_root, "src/ExampleService/Dockerfile");
        var tarEntries = await ReadTarAsync(context);

        Assert.Equal(
            ["artifacts/image", "artifacts/image/app", "artifacts/image/app/ExampleService.dll", "artifacts/image/data", "src/ExampleService/Dockerfile", ".dockerignore"],
            tarEntries.Keys);
        Assert.Equal("binary", tarEntries["artifacts/image/app/ExampleService.dll"]);
        Assert.Equal("FROM scratch\n", tarEntries["src/ExampleService/Dockerfile"]);
        Assert.Equal("binary".Length + "FROM scratch\n".Length + "**\n!artifacts/image/\n".Length, context.ContentLength);
    }

    [Fact]
    public async Task Without_dockerignore_everything_is_sent()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("a/b.txt", "b");

        var entries = (await ReadTarAsync(BuildContext.Collect(_root, "Dockerfile"))).Keys;

        Assert.Equal(["Dockerfile", "a", "a/b.txt"], entries);
    }

    [Fact]
    public void Missing_dockerfile_is_a_clear_error()
    {
        Write("a.txt", "a");

        var error = Assert.Throws<FileNotFoundException>(() => BuildContext.Collect(_root, "Dockerfile"));

        Assert.Contains("'Dockerfile' is not in the build context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Executable_bit_survives_in_the_tar()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write("app/run", "#!/bin/sh");
        File.SetUnixFileMode(Path.Combine(_root, "app/run"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);

        using var tar = new MemoryStream();
        BuildContext.Collect(_root, "Dockerfile").WriteTarAsync(tar, CancellationToken.None).GetAwaiter().GetResult();
        tar.Position = 0;
        using var reader = new TarReader(tar);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry()) is not null && entry.Name != "app/run")
        {
        }

        Assert.NotNull(entry);
        Assert.True(entry.Mode.HasFlag(UnixFileMode.UserExecute));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static async Task<Dictionary<string, string?>> ReadTarAsync(BuildContext context)
    {
        using var tar = new MemoryStream();
        await context.WriteTarAsync(tar, CancellationToken.None);
        tar.Position = 0;
        var entries = new Dictionary<string, string?>();
        using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            entries.Add(entry.Name, entry.DataStream is null ? null : await new StreamReader(entry.DataStream).ReadToEndAsync());
        }

        return entries;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
