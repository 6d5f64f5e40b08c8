using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Build.Tests.Delivery.Docker;
using ExampleService.Build.Delivery.Image;
using TypedBuild;
using TypedBuild.Processes;

namespace Build.Tests.Delivery.Image;

/// <summary>
/// The recorder's failures, with scripts standing in for the service; the recording itself runs the real published
/// service in the image tests (ServiceImageTests).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StartupProfileRecorderTests : IDisposable
{
    private readonly AbsolutePath _app = AbsolutePath.Create(Directory.CreateTempSubdirectory("recorder-app-").FullName);
    private readonly ProcessRunner _processes = new(new RecordingLog(), new SecretMasker());

    [Fact]
    public async Task A_service_that_stops_before_it_is_ready_fails_the_recording_with_its_exit_code_and_output()
    {
        var entryPoint = Script("echo 'Invalid configuration: Database:Provider is Oracle' >&2; exit 2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new StartupProfileRecorder(_processes).RecordAsync(entryPoint, default));

        Assert.Contains("stopped with exit code 2 before it was ready", error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid configuration: Database:Provider is Oracle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_is_never_ready_times_out_and_is_stopped()
    {
        var entryPoint = Script($"echo $$ > '{_app / "pid"}'; exec sleep 60");
        var recorder = new StartupProfileRecorder(_processes) { ReadinessTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<TimeoutException>(() => recorder.RecordAsync(entryPoint, default));

        Assert.Contains("was not ready within", error.Message, StringComparison.Ordinal);
        var pid = int.Parse(await File.ReadAllTextAsync(_app / "pid"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the stand-in service (pid {pid}) is still running");
    }

    [Fact]
    public async Task A_service_that_is_ready_but_records_nothing_is_reported()
    {
        // Ready at once (the probe is answered in process), and the stand-in writes no profile.
        var entryPoint = Script("exit 0");
        var recorder = new StartupProfileRecorder(_processes, new HttpClient(new AlwaysReady()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => recorder.RecordAsync(entryPoint, default));

        Assert.Contains("without recording its start-up JIT profile", error.Message, StringComparison.Ordinal);
        Assert.Contains("0 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, Architecture.X64, true)]
    [InlineData(true, Architecture.Arm64, false)]
    [InlineData(false, Architecture.X64, false)]
    [InlineData(false, Architecture.Arm64, false)]
    public void Only_a_linux_x64_host_can_start_the_linux_x64_service_to_record_it(bool linux, Architecture architecture, bool expected)
        => Assert.Equal(expected, StartupProfileRecorder.CanRecordOn(linux, architecture));

    [Fact]
    public void The_recording_drops_the_service_settings_the_build_inherited_and_runs_on_scratch_sqlite()
    {
        var environment = StartupProfileRecorder.RecordingEnvironment(
            ["PATH", "HOME", "Database__ConnectionString", "ConnectionStrings__Users", "Service__ApiKey", "ASPNETCORE_HTTP_PORTS", "DOTNET_gcServer"],
            "/app/startup.jitprofile",
            5123,
            "/tmp/scratch");

        Assert.False(environment.ContainsKey("PATH"));
        Assert.False(environment.ContainsKey("HOME"));
        Assert.Null(environment["Database__ConnectionString"]);
        Assert.Null(environment["ConnectionStrings__Users"]);
        Assert.Null(environment["Service__ApiKey"]);
        Assert.Null(environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Null(environment["DOTNET_gcServer"]);
        Assert.Equal("Sqlite", environment["Database__Provider"]);
        Assert.Equal("/tmp/scratch", environment["Database__DataDirectory"]);
        Assert.Equal("http://127.0.0.1:5123", environment["ASPNETCORE_URLS"]);
        Assert.Equal("/app/startup.jitprofile", environment[StartupProfileRecorder.PathVariable]);
        // Production needs credentials to start: a key hash no key has.
        Assert.Matches("^[0-9a-f]{64}$", environment["Authentication__ApiKeys__0__Sha256"]);
    }

    public void Dispose() => Directory.Delete(_app, recursive: true);

    private AbsolutePath Script(string body)
    {
        var path = _app / "ExampleService";
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private sealed class AlwaysReady : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }
}
