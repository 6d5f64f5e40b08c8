using System.Net.Sockets;

namespace TypedBuild.Provisioning.Daemons;

/// <summary>
/// A Docker Engine the build can talk to: <c>DOCKER_HOST</c> or <c>/var/run/docker.sock</c>, checked by calling
/// <c>/_ping</c> directly (no docker CLI needed). When none answers and the build runs as root, it starts
/// <c>dockerd</c> (installing Debian's <c>docker.io</c> first if needed) and stops it again when the build ends, unless
/// <paramref name="keepRunning"/> says the engine must outlive the build (a container the build deploys runs on it).
/// The one place that reads <c>DOCKER_HOST</c> and starts <c>dockerd</c>.
/// </summary>
public sealed class DockerEngine(string? dockerHost = null, Func<bool>? keepRunning = null) : IToolRequirement
{
    public const string DefaultSocket = "/var/run/docker.sock";

    private static readonly AptPackage Package = new("docker.io", "dockerd");

    public string Name => "Docker Engine";

    /// <summary>The engine's endpoint: the constructor's value, else <c>DOCKER_HOST</c>, else the default socket.</summary>
    public Uri Endpoint => EndpointFrom(dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST"));

    /// <summary>An engine address as <c>DOCKER_HOST</c> writes it; blank means the default socket, like the docker CLI.</summary>
    public static Uri EndpointFrom(string? dockerHost)
    {
        if (string.IsNullOrWhiteSpace(dockerHost))
        {
            return new Uri($"unix://{DefaultSocket}");
        }

        return Uri.TryCreate(dockerHost.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" or "https"
            ? uri
            : throw new InvalidOperationException($"DOCKER_HOST='{dockerHost}' is not an engine address. Use e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375, or unset it.");
    }

    public const string InstallHint = "start an engine (`sudo dockerd &`, or Docker Desktop) or set DOCKER_HOST to one that is running";

    public async Task<RequirementCheck> CheckAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (await PingAsync(Endpoint, cancellationToken).ConfigureAwait(false))
        {
            return RequirementCheck.Present(Endpoint.ToString());
        }

        if (!CanStartOwn)
        {
            return RequirementCheck.Missing($"No Docker Engine answers at {Endpoint} (DOCKER_HOST points elsewhere).", InstallHint);
        }

        if (!context.IsRoot)
        {
            return RequirementCheck.Missing($"No Docker Engine answers at {Endpoint}, and only root can start one.", InstallHint);
        }

        return Package.Check(context).State switch
        {
            RequirementState.Present => RequirementCheck.Installable("will start dockerd"),
            RequirementState.Installable => RequirementCheck.Installable("will apt-get install docker.io and start dockerd"),
            _ => RequirementCheck.Missing($"No Docker Engine answers at {Endpoint}, and dockerd is not installed.", $"{InstallHint} (Debian: apt-get install -y docker.io)"),
        };
    }

    public async Task<IAsyncDisposable?> EnsureAsync(ProvisioningContext context, CancellationToken cancellationToken)
    {
        if (await PingAsync(Endpoint, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var check = await CheckAsync(context, cancellationToken).ConfigureAwait(false);
        if (check.State == RequirementState.Missing)
        {
            throw new InvalidOperationException($"{check.Detail} To fix: {check.InstallHint}.");
        }

        await Package.EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        var daemon = await BackgroundDaemon.StartAsync(
            "dockerd",
            "dockerd",
            [],
            context.ToolsDirectory / "dockerd.log",
            token => PingAsync(Endpoint, token),
            TimeSpan.FromSeconds(60),
            context.Log,
            cancellationToken,
            detached: keepRunning?.Invoke() == true).ConfigureAwait(false);
        return daemon.IsDetached ? null : daemon;
    }

    public string? UnmetOn(DeclaredMachine machine) => machine.HasDockerEngine ? null : "it has no Docker Engine";

    /// <summary>True when an engine answers <c>GET /_ping</c> at the endpoint (<c>unix://</c> or <c>tcp://</c>).</summary>
    public static async Task<bool> PingAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler();
        Uri baseAddress;
        if (endpoint.Scheme == "unix")
        {
            if (!File.Exists(endpoint.AbsolutePath))
            {
                return false;
            }

            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.AbsolutePath), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            // The host name is irrelevant on a unix socket; HttpClient only needs a well-formed URI.
            baseAddress = new UriBuilder(Uri.UriSchemeHttp, "docker").Uri;
        }
        else
        {
            baseAddress = new UriBuilder(endpoint) { Scheme = "http" }.Uri;
        }

        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri("/_ping", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Only the default local socket is ours to bring up; a DOCKER_HOST elsewhere is someone else's engine.</summary>
    private bool CanStartOwn => Endpoint.Scheme == "unix" && Endpoint.AbsolutePath == DefaultSocket;
}
