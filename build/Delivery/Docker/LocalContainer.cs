using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using TypedBuild;

namespace ExampleService.Build.Delivery.Docker;

/// <summary>
/// How the service runs on the local engine: one named container from an image reference (by digest), published on
/// 127.0.0.1 only, with SQLite in a named volume, a read-only root filesystem and no capabilities.
/// </summary>
public sealed record LocalContainerSpec(string Name, string ImageReference, int HostPort, string DataVolume)
{
    public const int ContainerPort = 8080;
    public const string DataDirectory = "/app/data";
    public const string ReadinessPath = ServiceReadiness.Path;
    public const string ImageLabel = "com.example.example-service.image";

    public Uri Url => new($"http://127.0.0.1:{HostPort.ToString(CultureInfo.InvariantCulture)}/");

    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal CreateContainerParameters ToCreateParameters()
    {
        var port = $"{ContainerPort.ToString(CultureInfo.InvariantCulture)}/tcp";
        return new CreateContainerParameters
        {
            Name = Name,
            Image = ImageReference,
            // Local is the developer mode: no credentials, which the service allows only in Development.
            Env = ["Database__Provider=Sqlite", $"Database__DataDirectory={DataDirectory}", "ASPNETCORE_ENVIRONMENT=Development", "Authentication__DeveloperMode=true"],
            ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
            Labels = new Dictionary<string, string> { [ImageLabel] = ImageReference },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    [port] = [new PortBinding { HostIP = "127.0.0.1", HostPort = HostPort.ToString(CultureInfo.InvariantCulture) }],
                },
                Mounts = [new Mount { Type = "volume", Source = DataVolume, Target = DataDirectory }],
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=64m" },
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
            },
        };
    }
}

/// <summary>The container that answers after <see cref="LocalContainer.ReplaceAsync"/>.</summary>
public sealed record LocalDeployment(string ContainerId, Uri Url, string ImageReference, TimeSpan ReadyAfter, string? ReplacedContainerId);

/// <summary>Runs the pushed image as the local deployment, replacing the container of the previous run.</summary>
public sealed class LocalContainer(IDockerClient docker, IBuildLog log, HttpClient? http = null)
{
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Pulls the reference, removes the old container of that name, starts the new one and waits until it is ready.</summary>
    public async Task<LocalDeployment> ReplaceAsync(LocalContainerSpec spec, CancellationToken cancellationToken)
    {
        await PullAsync(spec.ImageReference, cancellationToken).ConfigureAwait(false);
        var replaced = await RemoveAsync(spec.Name, cancellationToken).ConfigureAwait(false);

        var created = await docker.Containers.CreateContainerAsync(spec.ToCreateParameters(), cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.StartNew();
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        log.Information($"Started {spec.Name} ({created.ID[..12]}) from {spec.ImageReference}");

        await WaitUntilReadyAsync(spec, created.ID, cancellationToken).ConfigureAwait(false);
        return new LocalDeployment(created.ID, spec.Url, spec.ImageReference, started.Elapsed, replaced);
    }

    /// <summary>Stops and removes the container with that name, if any; returns its ID.</summary>
    public async Task<string?> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return null;
        }

        var previousImage = existing.Labels?.TryGetValue(LocalContainerSpec.ImageLabel, out var image) == true ? image : existing.Image;
        log.Information($"Replacing {name} ({existing.ID[..12]}, {previousImage})");
        await docker.Containers.StopContainerAsync(existing.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 10 }, cancellationToken).ConfigureAwait(false);
        await docker.Containers.RemoveContainerAsync(existing.ID, new ContainerRemoveParameters { Force = true }, cancellationToken).ConfigureAwait(false);
        return existing.ID;
    }

    public async Task<ContainerListResponse?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var containers = await docker.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [$"^/{name}$"] = true } },
            },
            cancellationToken).ConfigureAwait(false);
        return containers.FirstOrDefault();
    }

    /// <summary>Pulls the reference unless the engine has it already (after Push it does: a digest names one image).</summary>
    private async Task PullAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Images.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (DockerImageNotFoundException)
        {
            log.Information($"Pulling {reference}");
        }

        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var parameters = at < 0
            ? new ImagesCreateParameters { FromImage = reference }
            : new ImagesCreateParameters { FromImage = reference[..at], Tag = reference[(at + 1)..] };
        var progress = new EngineProgress(log);
        await docker.Images.CreateImageAsync(parameters, null, progress, cancellationToken).ConfigureAwait(false);
        if (progress.Error is not null)
        {
            throw new InvalidOperationException($"Pulling {reference} failed: {progress.Error}. Is the registry running? Run the Push target (or Deploy) again.");
        }
    }

    /// <summary>Polls the spec's readiness URL until it answers, failing with the log tail when the container stops or times out.</summary>
    internal async Task WaitUntilReadyAsync(LocalContainerSpec spec, string containerId, CancellationToken cancellationToken)
    {
        var readiness = new Uri(spec.Url, LocalContainerSpec.ReadinessPath);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await ServiceReadiness.IsReadyAsync(_http, readiness, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var state = (await docker.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false)).State;
            var running = state?.Running == true;
            if (!running || deadline.Elapsed > spec.ReadinessTimeout)
            {
                var why = running ? $"was not ready within {spec.ReadinessTimeout.TotalSeconds:0} s" : $"exited with code {state?.ExitCode}";
                throw new InvalidOperationException($"Container {spec.Name} {why} ({readiness}). Its last log lines:{Environment.NewLine}{await LogTailAsync(containerId, cancellationToken).ConfigureAwait(false)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string> LogTailAsync(string containerId, CancellationToken cancellationToken, int lines = 40)
    {
        var output = new List<string>();
        await docker.Containers.GetContainerLogsAsync(
            containerId,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(CultureInfo.InvariantCulture) },
            new SynchronousProgress<string>(output.Add),
            cancellationToken).ConfigureAwait(false);
        return string.Join(Environment.NewLine, output.Select(line => line.TrimEnd()));
    }
}
