using System.Globalization;
using ExampleService.Infrastructure.Hosting;
using ExampleService.Tests.Infrastructure;
using TypedBuild;

namespace ExampleService.Tests.Operations;

public sealed class StartupJitProfileTests
{
    [Fact]
    public void The_configured_path_wins_over_a_shipped_profile()
    {
        var directory = Directory.CreateTempSubdirectory("jit-profile-").FullName;
        File.WriteAllBytes(Path.Combine(directory, StartupJitProfile.FileName), [1]);

        Assert.Equal(Path.GetFullPath("elsewhere/recorded.jitprofile"), StartupJitProfile.Resolve("elsewhere/recorded.jitprofile", directory));
        Assert.Equal(Path.Combine(directory, StartupJitProfile.FileName), StartupJitProfile.Resolve(null, directory));
        Assert.Equal(Path.Combine(directory, StartupJitProfile.FileName), StartupJitProfile.Resolve(" ", directory));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Without_a_configured_or_shipped_profile_there_is_none()
    {
        var directory = Directory.CreateTempSubdirectory("jit-profile-").FullName;

        Assert.Null(StartupJitProfile.Resolve(null, directory));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_service_records_the_methods_of_its_start_when_it_stops()
    {
        var profile = Path.Combine(Directory.CreateTempSubdirectory("jit-profile-").FullName, "recorded.jitprofile");

        var exitCode = await RunUntilReadyAndStopAsync(profile);

        Assert.Equal(0, exitCode);
        // A profile without methods is a 64-byte header; a start compiles thousands.
        Assert.True(new FileInfo(profile).Length > 10_000, $"{profile}: {new FileInfo(profile).Length} bytes");
        Directory.Delete(Path.GetDirectoryName(profile)!, recursive: true);
    }

    [Fact]
    public async Task A_damaged_profile_does_not_keep_the_service_from_starting()
    {
        var profile = Path.Combine(Directory.CreateTempSubdirectory("jit-profile-").FullName, "damaged.jitprofile");
        await File.WriteAllBytesAsync(profile, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);

        Assert.Equal(0, await RunUntilReadyAndStopAsync(profile));
        Directory.Delete(Path.GetDirectoryName(profile)!, recursive: true);
    }

    private static async Task<int> RunUntilReadyAndStopAsync(string profile)
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            [StartupJitProfile.PathVariable] = profile,
        });
        await service.WaitUntilHealthyAsync($"http://127.0.0.1:{port}/health/ready");
        await service.TerminateAsync();
        return await service.WaitForExitAsync();
    }
}
