using ExampleService.Build.Delivery.Docker;
using ExampleService.Build.Delivery.Image;
using TypedBuild;
using TypedBuild.Provisioning;
using TypedBuild.Provisioning.Daemons;
using TypedBuild.Registries;

namespace ExampleService.Build;

partial class Build
{
    [Parameter("Registry (host[:port][/namespace]) images are pushed to; 127.0.0.1:5000 is the local registry the build starts")]
    readonly string DockerRegistry = "127.0.0.1:5000";

    [Parameter("Image repository inside the registry")]
    readonly string ImageRepository = "example-service";

    [Parameter("Image variant: Standard (framework-dependent on the ASP.NET Core runtime image) or Trimmed (self-contained, trimmed, on runtime-deps)")]
    readonly ImageVariant ImageVariant = ImageVariant.Standard;

    [Parameter("Base image (default: mcr.microsoft.com/dotnet/aspnet:10.0, or runtime-deps:10.0 for Trimmed; built locally from the host's .NET when it cannot be pulled)")]
    readonly string? DockerBaseImage;

    [Parameter("User Push logs in to the registry with (empty: anonymous)")]
    readonly string? RegistryUsername;

    [Parameter("Password or token for the registry")]
    [Secret]
    readonly string? RegistryPassword;

    /// <summary>The registry login every push, promotion and retag uses; a refused one names these parameters.</summary>
    RegistryCredentials RegistryLogin => new(RegistryUsername, RegistryPassword, "RegistryUsername and RegistryPassword");

    [Parameter("Source repository URL in the image's org.opencontainers.image.source label (default: the CI host's repository)")]
    readonly string? ImageSourceUrl;

    AbsolutePath ServiceProject => RootDirectory / "src" / "ExampleService" / "ExampleService.csproj";

    AbsolutePath Dockerfile => RootDirectory / "src" / "ExampleService" / "Dockerfile";

    /// <summary>Kept running after the build only when the build ends in a local deployment (see RunLocal).</summary>
    DockerEngine? dockerEngine;

    DockerEngine DockerEngine => dockerEngine ??= new DockerEngine(keepRunning: () => IsLocalDeployment);

    /// <summary>Image builds and containers: with --parallel, one target at a time loads the Docker Engine.</summary>
    static readonly BuildResource DockerWork = new("Docker Engine builds and containers");

    /// <summary>The registry the build starts for a push to 127.0.0.1:5000; another registry is only checked by Push.</summary>
    LocalRegistryWhenUsed? registry;

    LocalRegistryWhenUsed Registry => registry ??= new LocalRegistryWhenUsed(Tools.Registry, () => DockerRegistry);

    string ImageRepositoryName => ImageReference.Repository(DockerRegistry, ImageRepository);

    /// <summary>
    /// The tags DockerBuild gave the image and Push pushes: commit- and branch-derived only. A release version tag is
    /// written once, by the verified promotion of the release (see Promote), never by a build.
    /// </summary>
    IReadOnlyList<string> ImageTagsOfThisBuild => [.. ImageTags.For(Host.Commit, Host.Branch).Select(tag => ImageTags.Sanitize(tag + ImageVariant.TagSuffix())!)];

    IReadOnlyList<string> ImageNamesOfThisBuild => [.. ImageTagsOfThisBuild.Select(tag => $"{ImageRepositoryName}:{tag}")];

    /// <summary>
    /// The image's creation time and the latest time of its files: the commit's, so building a commit again gives the
    /// same image (see <see cref="ReproducibleImage"/>); the build time only outside git.
    /// </summary>
    DateTimeOffset ImageCreated => CommitTime ?? DateTimeOffset.UtcNow;

    DateTimeOffset? CommitTime => new TypedBuild.Hosts.GitInfo(RootDirectory).CommitTime;

    ImageStaging ImageStaging => new(RootDirectory, TemporaryDirectory / "image-publish");

    ServicePublishRequest ImagePublishRequest => new(ServiceProject, ImageVariant, Version.SemVer, Version.InformationalVersion);

    AbsolutePath RecordedStartupProfile => ArtifactsDirectory / "startup-profile" / StartupProfileRecorder.FileName;

    /// <summary>
    /// The standard image's start-up JIT profile comes from a run of the service, whose threads never compile in
    /// quite the same order: recorded once per set of publish inputs and kept in the target cache (shared through the
    /// registry), so building a commit again ships the same profile, and the image the same digest.
    /// </summary>
    Target StartupProfile => _ => _
        .Description("Records the start-up JIT profile of the standard image from one start of the published service (cached per publish inputs)")
        .Unlisted()
        .OnlyWhenStatic(() => ImageVariant.ShipsStartupProfile() && StartupProfileRecorder.CanRecordOnThisHost)
        .NeedsAlone(SolutionBuildOutput, DotnetCores)
        .InputFiles(SolutionSources)
        .InputValue(() => KeyOf(ImageStaging.PublishArguments(ImagePublishRequest)))
        .InputTool("dotnet", "--version")
        .Outputs("artifacts/startup-profile/" + StartupProfileRecorder.FileName)
        .Executes(async cancellationToken =>
        {
            var staged = await ImageStaging.PublishAsync(Processes, Log, ImagePublishRequest, cancellationToken);
            Directory.CreateDirectory(RecordedStartupProfile.Parent);
            File.Copy(staged / "app" / StartupProfileRecorder.FileName, RecordedStartupProfile, overwrite: true);
            ReportSummary("Profile", $"{new FileInfo(RecordedStartupProfile).Length / 1024} KiB");
        });

    /// <summary>What the image is built from: the service's sources and what configures their build.</summary>
    static readonly string[] ImageSources =
    [
        "src/**", "Directory.*.props", "global.json", "version.txt", ".dockerignore", "artifacts/startup-profile/**",
        "!**/bin/**", "!**/obj/**", "!**/TestResults/**", "!src/ExampleService/data/**", "!**/*.db*",
    ];

    AbsolutePath CachedImageRecord => ArtifactsDirectory / "built-image.json";

    Target DockerBuild => _ => _
        .Description("Publishes the service and builds its image (version, commit and branch tags, OCI labels) on the Docker engine")
        .DependsOn(StartupProfile)
        .After(Test, TestImage, Lint, Coverage, Sonar)
        .NeedsAlone(SolutionBuildOutput, DockerWork, DotnetCores)
        .Requires(DockerEngine)
        // A hit pulls the image from the registry when the engine has lost it.
        .Requires(Registry)
        .InputFiles(ImageSources)
        .InputValue(() => KeyOf(ImageStaging.PublishArguments(ImagePublishRequest)))
        // With --skip the recorded profile stays out of the image even when a file of an earlier run is there.
        .InputValue(() => IsPlanned(StartupProfile))
        .InputValue(() => ImageVariant)
        .InputValue(() => DockerBaseImage)
        .InputValue(() => Host.Commit)
        .InputValue(() => ImageSourceUrl ?? Host.Repository)
        // Outside git the image takes the build's time, which is no input: the same sources reuse the image.
        .InputValue(() => CommitTime)
        .InputTool("dotnet", "--version")
        // The local stand-in for the base image is made from the host's runtime.
        .InputTool("dotnet", "--list-runtimes")
        .Outputs(CachedImageRecord.RelativeTo(RootDirectory))
        .OutputsOutside("the image in the Docker Engine or the registry", RestoreCachedImageAsync)
        .Executes(async cancellationToken =>
        {
            var staging = ImageStaging;
            var recorded = IsPlanned(StartupProfile) && File.Exists(RecordedStartupProfile) ? RecordedStartupProfile : null;
            var staged = await staging.PublishAsync(Processes, Log, ImagePublishRequest with { RecordedProfile = recorded }, cancellationToken);

            using var docker = await DockerConnection.ConnectAsync(Log, cancellationToken, DockerEngine.Endpoint.ToString());
            var baseImage = await new BaseImageResolver(docker, Log).ResolveAsync(ImageVariant, DockerBaseImage, staged / "app", cancellationToken);
            var sourceDate = ImageCreated;
            var names = ImageNamesOfThisBuild;
            var request = new ImageBuildRequest(
                RootDirectory,
                Dockerfile.RelativeTo(RootDirectory),
                names,
                ImageBuildArguments.For(baseImage, staging.PublishDirArgument(ImageVariant), Version.InformationalVersion, Host.Commit, ImageSourceUrl ?? Host.Repository, sourceDate),
                new Dictionary<string, string>())
            {
                Reproducible = new ReproducibleBuild(baseImage, sourceDate),
            };
            var built = await new ImageBuilder(docker, Log).BuildAsync(request, cancellationToken);
            CachedImage.Of(built).Save(CachedImageRecord);

            ReportSummary("Image", names[0]);
            ReportSummary("Size", built.SizeText);
            ReportSummary("Base", baseImage);
        });

    /// <summary>A DockerBuild hit: the recorded image, from the engine or pulled from the registry, under this build's names.</summary>
    async Task<bool> RestoreCachedImageAsync(CancellationToken cancellationToken)
    {
        if (CachedImage.TryLoad(CachedImageRecord) is not { } image)
        {
            return false;
        }

        using var docker = await DockerConnection.ConnectAsync(Log, cancellationToken, DockerEngine.Endpoint.ToString());
        return await new CachedImageRestorer(docker, Log).RestoreAsync(image, ImageNamesOfThisBuild, RegistryLogin, cancellationToken);
    }

    Target Push => _ => _
        .Description("Pushes the image's tags to --docker-registry and records the pushed digest in artifacts/image.json")
        .DependsOn(DockerBuild)
        .Requires(DockerEngine)
        .Requires(Registry)
        .Executes(async cancellationToken =>
        {
            using var docker = await DockerConnection.ConnectAsync(Log, cancellationToken, DockerEngine.Endpoint.ToString());
            var credentials = RegistryLogin;
            var digest = await new ImagePusher(docker, Log, new RetryPolicy()).PushAsync(ImageRepositoryName, ImageTagsOfThisBuild, credentials, cancellationToken);

            var pushed = PushedImage.Create(ImageRepositoryName, digest, ImageTagsOfThisBuild, Version.SemVer);
            pushed.Save(PushedImage.DefaultPath(RootDirectory));
            ReportSummary("Digest", pushed.Reference);
            Log.Information($"Pushed {pushed.Reference} (tags {string.Join(", ", pushed.Tags)}); recorded in {PushedImage.DefaultPath(RootDirectory).RelativeTo(RootDirectory)}");
        });
}
