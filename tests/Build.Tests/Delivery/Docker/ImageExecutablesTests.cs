using System.Formats.Tar;
using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Docker;

namespace Build.Tests.Delivery.Docker;

/// <summary>
/// The check CiImage runs before it pushes the toolchain image, against a tiny image imported here: the host's dash
/// as /bin/sh, a <c>git</c> on PATH, and no <c>helm</c>.
/// </summary>
[Collection(ServiceImageGroup.Name)]
[Trait(ExampleService.Build.Quality.TestSuite.RequiresTrait, ExampleService.Build.Quality.TestSuite.Docker)]
public sealed class ImageExecutablesTests(ServiceImageFixture fixture)
{
    [DockerFact]
    public async Task Names_what_the_image_lacks_and_a_shell_builtin_is_not_the_program()
    {
        var image = await ImportAsync();
        try
        {
            var missing = await new ImageExecutables(fixture.Docker).MissingAsync(image, ["helm", "git", "kill"], default);

            Assert.Equal(["helm", "kill"], missing);
        }
        finally
        {
            await fixture.Docker.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true }, default);
        }
    }

    private async Task<string> ImportAsync()
    {
        var rootFilesystem = new MemoryStream();
        await using (var tar = new TarWriter(rootFilesystem, leaveOpen: true))
        {
            foreach (var (path, source) in new[] { ("bin/sh", "/usr/bin/dash"), ("lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"), ("lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2") })
            {
                // The file itself: the host's loader path is a symbolic link the image would not resolve.
                await tar.WriteEntryAsync(File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source, path);
            }

            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "usr/bin/git")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserExecute,
                DataStream = new MemoryStream("#!/bin/sh\n"u8.ToArray()),
            });
        }

        rootFilesystem.Position = 0;
        var tag = Guid.NewGuid().ToString("N")[..12];
        var progress = new EngineProgress(fixture.Log);
        await fixture.Docker.Images.CreateImageAsync(new ImagesCreateParameters { FromSrc = "-", Repo = "example-service.test/executables", Tag = tag }, rootFilesystem, null, progress, default);
        Assert.Null(progress.Error);
        return $"example-service.test/executables:{tag}";
    }
}
