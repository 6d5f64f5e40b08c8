using System.Runtime;

namespace ExampleService.Infrastructure.Hosting;

/// <summary>
/// Multi-core JIT for start-up: given a profile of the methods an earlier start compiled, the runtime compiles them
/// ahead on a second core while the main thread starts the host, so the service is ready sooner (about 0.2 s of
/// 1.5 on two cores, docs/benchmarks.md). The image ships a profile next to the application, recorded by the image
/// build (build/Delivery/Image/StartupProfileRecorder.cs), and the runtime only replays it there.
/// </summary>
/// <remarks>
/// A profile only names methods to compile early, and compiling a method early never changes what it does, so one
/// recorded from other assemblies, or a damaged one, costs at most the gain. Multi-core JIT does nothing on one
/// core, and records nothing for a single-file executable, so the trimmed image carries none.
/// </remarks>
public static class StartupJitProfile
{
    /// <summary>Names a profile to replay if it exists and to (re)write when the process ends: how one is recorded.</summary>
    public const string PathVariable = "EXAMPLE_SERVICE_JIT_PROFILE";

    /// <summary>The profile shipped next to the application.</summary>
    public const string FileName = "startup.jitprofile";

    /// <summary>Starts the profile <see cref="PathVariable"/> names, else the shipped one, if there is one.</summary>
    public static void StartIfConfigured()
    {
        if (Resolve(Environment.GetEnvironmentVariable(PathVariable), AppContext.BaseDirectory) is { } path)
        {
            ProfileOptimization.SetProfileRoot(Path.GetDirectoryName(path)!);
            ProfileOptimization.StartProfile(Path.GetFileName(path));
        }
    }

    /// <summary>The configured path if there is one, else the shipped profile if it exists, else null.</summary>
    internal static string? Resolve(string? configuredPath, string applicationDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return Path.GetFullPath(configuredPath);
        }

        var shipped = Path.Combine(applicationDirectory, FileName);
        return File.Exists(shipped) ? shipped : null;
    }
}
