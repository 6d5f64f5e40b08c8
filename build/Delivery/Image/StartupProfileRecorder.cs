using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build.Delivery.Image;

/// <summary>
/// Records the service's start-up JIT profile into its publish folder, so the image ships it and the runtime compiles
/// the start-up methods ahead on a second core (multi-core JIT; the service's <c>StartupJitProfile</c>). The published
/// service is started once on the build host, on a loopback port with SQLite in a scratch folder, until it answers
/// readiness; on SIGTERM the runtime writes the profile.
/// </summary>
/// <remarks>
/// The recording runs the very assemblies the image holds. Framework code is mostly precompiled (ReadyToRun), so the
/// profile is mostly the service's and its packages' methods, which are the same on any base image.
/// </remarks>
public sealed class StartupProfileRecorder(IProcessRunner processes, HttpClient? http = null)
{
    /// <summary>Where the service looks for its profile: this name in its own folder (its <c>StartupJitProfile</c>).</summary>
    public const string FileName = "startup.jitprofile";

    /// <summary>The service's variable naming the profile to record.</summary>
    public const string PathVariable = "EXAMPLE_SERVICE_JIT_PROFILE";

    /// <summary>Below this the profile holds no methods: the runtime writes a header of 64 bytes even then.</summary>
    internal const long MinimumProfileBytes = 1024;

    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a host can start the image's service (<see cref="ImageVariants.RuntimeIdentifier"/>: linux-x64) to
    /// record it. On others (a Mac, an Arm machine) the image is built without a profile and starts as it did before
    /// there was one.
    /// </summary>
    public static bool CanRecordOn(bool linux, Architecture architecture) => linux && architecture == Architecture.X64;

    public static bool CanRecordOnThisHost => CanRecordOn(OperatingSystem.IsLinux(), RuntimeInformation.OSArchitecture);

    /// <summary>Starts <paramref name="entryPoint"/> until it is ready, stops it, and returns the profile it wrote.</summary>
    public async Task<AbsolutePath> RecordAsync(AbsolutePath entryPoint, CancellationToken cancellationToken)
    {
        var profile = entryPoint.Parent / FileName;
        File.Delete(profile);
        var dataDirectory = Directory.CreateTempSubdirectory("startup-profile-data-").FullName;
        try
        {
            var port = LoopbackPorts.Free();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var running = processes.RunAsync(entryPoint, [], new ProcessOptions
            {
                WorkingDirectory = dataDirectory,
                LogOutput = false,
                AllowNonZeroExitCode = true,
                Environment = RecordingEnvironment(Environment.GetEnvironmentVariables().Keys.Cast<string>(), profile, port, dataDirectory),
            }, stop.Token);
            try
            {
                await WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{ServiceReadiness.Path}"), running, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // SIGTERM: the service shuts down gracefully and the runtime writes the profile as the process ends.
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(running).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        var written = File.Exists(profile) ? new FileInfo(profile).Length : 0;
        if (written < MinimumProfileBytes)
        {
            throw new InvalidOperationException(
                $"{entryPoint} stopped without recording its start-up JIT profile ({profile}: {written} bytes). "
                + "Does Program.cs still call StartupJitProfile.StartIfConfigured() first, and is the app published as separate files (single-file apps record nothing)?");
        }

        return profile;
    }

    /// <summary>
    /// The recording's environment: the service's settings (anything with <c>__</c>, and <c>ASPNETCORE_*</c>,
    /// <c>DOTNET_*</c>) inherited from the build are removed, so a connection string or URL meant for something else
    /// is never used, and only a scratch SQLite file on a loopback port remains.
    /// </summary>
    internal static Dictionary<string, string?> RecordingEnvironment(IEnumerable<string> inherited, string profile, int port, string dataDirectory)
    {
        var environment = inherited
            .Where(name => name.Contains("__", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, string? (_) => null, StringComparer.Ordinal);
        environment[PathVariable] = profile;
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Database__Provider"] = "Sqlite";
        environment["Database__DataDirectory"] = dataDirectory;
        // Production refuses to start without credentials: one API key whose hash no key has (nothing calls the API).
        environment["Authentication__ApiKeys__0__Id"] = "startup-profile";
        environment["Authentication__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        environment["Authentication__ApiKeys__0__Scopes"] = "users.read";
        environment["DOTNET_EnableDiagnostics"] = "0";
        environment["DOTNET_ROOT"] = LocalBaseImage.HostDotNetRootDirectory();
        return environment;
    }

    private async Task WaitUntilReadyAsync(Uri readiness, Task<ProcessResult> running, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (!await ServiceReadiness.IsReadyAsync(_http, readiness, cancellationToken).ConfigureAwait(false))
        {
            if (running.IsCompleted)
            {
                // Its failure (exit code and last lines) says more than a timeout would.
                var result = await running.ConfigureAwait(false);
                throw new InvalidOperationException($"The service stopped with exit code {result.ExitCode} before it was ready ({readiness}) while recording its start-up profile:{Environment.NewLine}{string.Join(Environment.NewLine, result.Output.TakeLast(25).Select(line => line.Text))}");
            }

            if (elapsed.Elapsed > ReadinessTimeout)
            {
                throw new TimeoutException($"The service was not ready within {ReadinessTimeout.TotalSeconds:0} s ({readiness}) while recording its start-up profile.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }
}
