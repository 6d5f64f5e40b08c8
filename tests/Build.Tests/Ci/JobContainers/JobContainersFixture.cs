using Docker.DotNet;
using ExampleService.Build.Delivery.Docker;
using TypedBuild;
using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;

namespace Build.Tests.Ci.JobContainers;

/// <summary>The job proofs of all three systems share one engine, registry and set of stand-ins, and run one after the other (each keeps both cores busy).</summary>
[CollectionDefinition(Name)]
public sealed class JobContainersProof : ICollectionFixture<JobContainersFixture>
{
    public const string Name = "CI jobs in their containers";
}

/// <summary>
/// What a team connecting the repository to a CI system would have, on this machine: the Docker engine a socket-bound
/// runner shares with its jobs, a registry for DOCKER_REGISTRY (the build's <see cref="LocalRegistry"/> on a free
/// loopback port, which the jobs reach through the host network), the CI validators' Node and gitlab-ci-local, and
/// local stand-ins for the public images that cannot be pulled here.
/// </summary>
public sealed class JobContainersFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _lifetimes = [];

    public CiValidatorsFixture Validators { get; } = new();

    public LocalRegistry Registry { get; } = new(LoopbackPorts.Free());

    /// <summary>
    /// The remote target cache every system's jobs are given (TYPEDBUILD_CACHE_REGISTRY), in the same registry, as a
    /// team connecting several systems would: a target a job of one system ran restores for a job of another whose key
    /// is the same, i.e. the same inputs on the same platform (the same image, as the same user).
    /// </summary>
    public string CacheRegistry => $"{Registry.Address}/example-service-build-cache";

    public GitLabJobContainers Runner => new(Validators);

    public ConcourseTaskContainers Concourse => new(Runner, Validators);

    public GitHubRunnerContainers GitHub => new(Runner, Validators);

    public IDockerClient Docker { get; private set; } = null!;

    /// <summary>The stand-ins this run imported (empty when the engine had them all from an earlier run).</summary>
    public IReadOnlyList<string> Imported { get; private set; } = [];

    public static IReadOnlyList<StandInImage> StandIns { get; } = [StandInImage.DotNetSdk, StandInImage.GitLabCiLocalHelper, StandInImage.GitHubRunner];

    private AbsolutePath ToolsDirectory => CiValidatorsFixture.Root / ".tools";

    public async Task InitializeAsync()
    {
        var log = new Delivery.Docker.RecordingLog();
        var processes = new ProcessRunner(log, new SecretMasker());
        var provisioning = new ProvisioningContext(CiValidatorsFixture.Root, ToolsDirectory / "job-containers", log, processes, Environment.IsPrivilegedProcess, IsServerBuild: false);
        foreach (var requirement in new IToolRequirement[] { Tools.Docker, Registry })
        {
            if (await requirement.EnsureAsync(provisioning, default) is { } lifetime)
            {
                _lifetimes.Add(lifetime);
            }
        }

        await Validators.InitializeAsync();
        Docker = await DockerConnection.ConnectAsync(log, default);
        var imported = new List<string>();
        foreach (var standIn in StandIns)
        {
            if (await standIn.EnsureAsync(Docker, processes, ToolsDirectory, log, default))
            {
                imported.Add(standIn.Name);
            }
        }

        Imported = imported;
    }

    public async Task DisposeAsync()
    {
        Docker?.Dispose();
        for (var i = _lifetimes.Count - 1; i >= 0; i--)
        {
            await _lifetimes[i].DisposeAsync();
        }

        await Validators.DisposeAsync();
    }
}
