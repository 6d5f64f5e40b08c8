using Docker.DotNet;
using Docker.DotNet.Models;
using ExampleService.Build.Delivery.Docker;
using ExampleService.Build.Delivery.Image;
using TypedBuild;
using TypedBuild.Processes;
using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;
using TypedBuild.Registries;

namespace Build.Tests.Delivery.Docker;

/// <summary>
/// One real build of the service image for every Docker test: the engine (started when absent) and a registry of
/// its own on a free loopback port (stopped afterwards), the service published, the local base image, the image built from
/// src/ExampleService/Dockerfile through a context that holds only what .dockerignore lets in, and pushed; the
/// trimmed variant the same way.
/// </summary>
public sealed class ServiceImageFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _lifetimes = [];
    private readonly AbsolutePath _scratch = AbsolutePath.Create(Path.Combine(Path.GetTempPath(), "service-image-" + Guid.NewGuid().ToString("N")[..8]));

    public RecordingLog Log { get; } = new();

    public DockerClient Docker { get; private set; } = null!;

    /// <summary>
    /// The build's registry (Debian docker-registry through <see cref="LocalRegistry"/>) on a port of its own: other
    /// fixtures start and stop the one on 5000 on their own schedule, which must not cut a push here short.
    /// </summary>
    public LocalRegistry Registry { get; } = new(LoopbackPorts.Free());

    /// <summary>A repository of its own, so the tests never touch the images a real build pushed.</summary>
    public string Repository => $"{Registry.Address}/example-service-test-{_id}";

    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    public AbsolutePath Context => _scratch / "context";

    public BuiltImage Image { get; private set; } = null!;

    public string Digest { get; private set; } = null!;

    public string SecondDigest { get; private set; } = null!;

    public BuiltImage SecondImage { get; private set; } = null!;

    /// <summary>The first image built again from the same inputs, its files given new times and by another container.</summary>
    public string RebuiltDigest { get; private set; } = null!;

    public BuiltImage RebuiltImage { get; private set; } = null!;

    /// <summary>The first image's source date, as a commit's time would be: before the publish output was written.</summary>
    public DateTimeOffset SourceDate { get; } = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public string BaseImage { get; private set; } = null!;

    public BuiltImage TrimmedImage { get; private set; } = null!;

    public string TrimmedDigest { get; private set; } = null!;

    public string TrimmedBaseImage { get; private set; } = null!;

    public string Revision { get; } = "0123456789abcdef0123456789abcdef01234567";

    /// <summary>The staged build contexts of the two variants: <c>app</c> is what the image holds in /app.</summary>
    public AbsolutePath StandardStaging { get; private set; } = null!;

    public AbsolutePath TrimmedStaging { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var processes = new ProcessRunner(Log, new SecretMasker());
        var provisioning = new ProvisioningContext(_scratch, _scratch / ".tools", Log, processes, Environment.IsPrivilegedProcess, IsServerBuild: false);
        foreach (var requirement in new IToolRequirement[] { Tools.Docker, Registry })
        {
            if (await requirement.EnsureAsync(provisioning, default) is { } lifetime)
            {
                _lifetimes.Add(lifetime);
            }
        }

        Docker = (DockerClient)await DockerConnection.ConnectAsync(Log, default);
        var root = RepositoryRoot();
        Directory.CreateDirectory(Context / "src" / "ExampleService");
        File.Copy(root / "src" / "ExampleService" / "Dockerfile", Context / "src" / "ExampleService" / "Dockerfile");
        File.Copy(root / DockerIgnore.FileName, Context / DockerIgnore.FileName);
        File.Copy(root / "global.json", Context / "global.json");
        // Must stay out of the image: .dockerignore excludes everything but the staged publish output.
        File.WriteAllText(Context / "secret.txt", "not for the image");

        var staging = new ImageStaging(Context, _scratch / "publish-obj");
        var project = root / "src" / "ExampleService" / "ExampleService.csproj";
        var bases = new BaseImageResolver(Docker, Log);
        StandardStaging = await staging.PublishAsync(processes, Log, new ServicePublishRequest(project, ImageVariant.Standard, "1.2.3", "1.2.3+test"), default);
        BaseImage = await bases.ResolveAsync(ImageVariant.Standard, null, StandardStaging / "app", default);
        Image = await BuildAsync(staging, ImageVariant.Standard, BaseImage, "first", SourceDate);
        Digest = await PushAsync("first");
        // A build of another commit (a later source date) is a new image: what a redeploy ships.
        SecondImage = await BuildAsync(staging, ImageVariant.Standard, BaseImage, "second", SourceDate.AddMinutes(1));
        SecondDigest = await PushAsync("second");
        // The same inputs again, as a fresh publish would leave them, a second later: what it compiles gets a new time,
        // what it copies from packages keeps theirs.
        foreach (var file in Directory.EnumerateFileSystemEntries(StandardStaging, "*", SearchOption.AllDirectories).Where(f => File.GetLastWriteTimeUtc(f) > SourceDate))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.1));
        RebuiltImage = await BuildAsync(staging, ImageVariant.Standard, BaseImage, "rebuilt", SourceDate);
        RebuiltDigest = await PushAsync("rebuilt");

        TrimmedStaging = await staging.PublishAsync(processes, Log, new ServicePublishRequest(project, ImageVariant.Trimmed, "1.2.3", "1.2.3+test"), default);
        TrimmedBaseImage = await bases.ResolveAsync(ImageVariant.Trimmed, null, TrimmedStaging / "app", default);
        TrimmedImage = await BuildAsync(staging, ImageVariant.Trimmed, TrimmedBaseImage, "trimmed", SourceDate);
        TrimmedDigest = await PushAsync("trimmed");
    }

    private async Task<BuiltImage> BuildAsync(ImageStaging staging, ImageVariant variant, string baseImage, string tag, DateTimeOffset created)
    {
        var arguments = ImageBuildArguments.For(baseImage, staging.PublishDirArgument(variant), "1.2.3", Revision, "example/example-service", created);
        var request = new ImageBuildRequest(Context, "src/ExampleService/Dockerfile", [$"{Repository}:{tag}"], arguments, new Dictionary<string, string>())
        {
            Reproducible = new ReproducibleBuild(baseImage, created),
        };
        return await new ImageBuilder(Docker, Log).BuildAsync(request, default);
    }

    private Task<string> PushAsync(string tag)
        => new ImagePusher(Docker, Log, new RetryPolicy(3, TimeSpan.FromMilliseconds(200))).PushAsync(Repository, [tag], RegistryCredentials.Anonymous, default);

    public async Task DisposeAsync()
    {
        if (Docker is not null)
        {
            foreach (var image in await Docker.Images.ListImagesAsync(new ImagesListParameters { All = true }))
            {
                if (image.RepoTags?.Any(t => t.StartsWith(Repository, StringComparison.Ordinal)) == true)
                {
                    await Docker.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = true });
                }
            }

            Docker.Dispose();
        }

        for (var i = _lifetimes.Count - 1; i >= 0; i--)
        {
            await _lifetimes[i].DisposeAsync();
        }

        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    private static AbsolutePath RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
        {
            directory = directory.Parent;
        }

        return AbsolutePath.Create(directory?.FullName ?? throw new InvalidOperationException("No .nuke folder above the test assembly: cannot find the repository root."));
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceImageGroup : ICollectionFixture<ServiceImageFixture>
{
    public const string Name = "Service image (Docker)";
}
