using System.Net.Sockets;
using System.Text;
using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;

namespace TypedBuild.Tests.Provisioning;

public sealed class DaemonTests : IDisposable
{
    private readonly TempRoot _temp = new();

    [Fact]
    public async Task Docker_ping_talks_http_over_the_unix_socket()
    {
        var socketPath = _temp.Root / "docker.sock";
        using var server = FakeDockerSocket(socketPath);

        var reachable = await DockerEngine.PingAsync(new Uri($"unix://{socketPath}"), default);
        var check = await new DockerEngine($"unix://{socketPath}").CheckAsync(_temp.Context(isRoot: false), default);

        Assert.True(reachable);
        Assert.Equal(RequirementState.Present, check.State);
    }

    [Fact]
    public async Task Docker_elsewhere_that_does_not_answer_is_missing_with_how_to_start_one()
    {
        var check = await new DockerEngine($"tcp://127.0.0.1:{LoopbackPorts.Free()}").CheckAsync(_temp.Context(), default);

        Assert.Equal(RequirementState.Missing, check.State);
        Assert.Contains("sudo dockerd &", check.InstallHint, StringComparison.Ordinal);
        Assert.Contains("DOCKER_HOST", check.InstallHint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_on_the_default_socket_is_startable_only_by_root()
    {
        var engine = new DockerEngine($"unix://{DockerEngine.DefaultSocket}");
        var running = await DockerEngine.PingAsync(engine.Endpoint, default);

        var asUser = await engine.CheckAsync(_temp.Context(isRoot: false), default);
        var asRoot = await engine.CheckAsync(_temp.Context(isRoot: true), default);

        Assert.Equal(running ? RequirementState.Present : RequirementState.Missing, asUser.State);
        Assert.Equal(running ? RequirementState.Present : RequirementState.Installable, asRoot.State);
    }

    [Fact]
    public async Task Registry_is_started_on_loopback_with_data_under_tools_and_stopped_by_its_lifetime()
    {
        var registry = new LocalRegistry(LoopbackPorts.Free());
        var context = _temp.Context();

        var before = await registry.CheckAsync(context, default);
        var lifetime = await registry.EnsureAsync(context, default);
        var whileRunning = await registry.CheckAsync(context, default);
        Assert.NotNull(lifetime);
        await lifetime.DisposeAsync();

        Assert.Equal(RequirementState.Installable, before.State);
        Assert.Equal(RequirementState.Present, whileRunning.State);
        Assert.False(await registry.AnswersAsync(default));
        Assert.Contains($"addr: 127.0.0.1:{registry.Port}", await File.ReadAllTextAsync(_temp.Root / ".tools" / "registry" / $"config-{registry.Port}.yml"));
        Assert.True((_temp.Root / ".tools" / "registry-data").Exists);
    }

    [Fact]
    public async Task A_registry_already_answering_is_used_and_not_stopped()
    {
        var registry = new LocalRegistry(LoopbackPorts.Free());
        await using var running = await registry.EnsureAsync(_temp.Context(), default);

        var second = await registry.EnsureAsync(_temp.Context(), default);

        Assert.Null(second);
        Assert.True(await registry.AnswersAsync(default));
    }

    [Fact]
    public async Task A_daemon_that_dies_at_start_fails_with_its_log_tail()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BackgroundDaemon.StartAsync(
            "broken", "bash", ["-c", "echo cannot bind address; exit 3"], _temp.Root / "broken.log",
            _ => Task.FromResult(false), TimeSpan.FromSeconds(20), _temp.Log, default));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot bind address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_detached_daemon_is_orphaned_at_once_and_outlives_its_disposal()
    {
        var daemon = await BackgroundDaemon.StartAsync(
            "sleeper", "sleep", ["300"], _temp.Root / "sleeper.log", _ => Task.FromResult(true), TimeSpan.FromSeconds(20), _temp.Log, default, detached: true);
        var pid = daemon.ProcessId;
        try
        {
            await daemon.DisposeAsync();

            Assert.True(daemon.IsDetached);
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotEqual(Environment.ProcessId, parent);
            Assert.Contains(_temp.Log.Lines, line => line.Contains($"keeps running after the build. Stop it with: kill {pid}", StringComparison.Ordinal));
        }
        finally
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    [Theory]
    [InlineData(null, "unix:///var/run/docker.sock")]
    [InlineData("", "unix:///var/run/docker.sock")]
    [InlineData("  ", "unix:///var/run/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375/")]
    [InlineData(" unix:///run/user/1000/docker.sock ", "unix:///run/user/1000/docker.sock")]
    public void Docker_host_blank_means_the_default_socket(string? dockerHost, string endpoint)
        => Assert.Equal(endpoint, DockerEngine.EndpointFrom(dockerHost).ToString());

    [Fact]
    public void A_docker_host_that_is_no_address_says_what_one_looks_like()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DockerEngine.EndpointFrom("docker:2375"));

        Assert.Equal("DOCKER_HOST='docker:2375' is not an engine address. Use e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375, or unset it.", error.Message);
    }

    /// <summary>Answers every connection with <c>200 OK</c>, like dockerd's <c>/_ping</c>.</summary>
    private static Socket FakeDockerSocket(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync();
                var buffer = new byte[4096];
                var read = await connection.ReceiveAsync(buffer);
                var answer = Encoding.ASCII.GetString(buffer, 0, read).StartsWith("GET /_ping", StringComparison.Ordinal)
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"
                    : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await connection.SendAsync(Encoding.ASCII.GetBytes(answer));
            }
        });
        return listener;
    }

    public void Dispose() => _temp.Dispose();
}
