using Docker.DotNet;
using ExampleService.Build.Delivery.Docker;
using TypedBuild;
using TypedBuild.Registries;

namespace ExampleService.Build;

partial class Build
{
    [Parameter("Base image of the CI toolchain image (empty: the Dockerfile's default, mcr.microsoft.com/dotnet/sdk:10.0)")]
    readonly string? CiImageBase;

    /// <summary>Where a network that inspects TLS keeps the CA bundle npm needs inside the image build (see ci/toolchain/Dockerfile).</summary>
    static readonly AbsolutePath HostCaBundle = AbsolutePath.Create("/etc/ssl/certs/ca-certificates.crt");

    Target CiImage => _ => _
        .Description("Builds the CI toolchain image (ci/toolchain) and pushes it to --docker-registry under its content tag, unless the registry has it")
        .NeedsAlone(DockerWork)
        .Requires(DockerEngine)
        .Requires(Registry)
        .Executes(async cancellationToken =>
        {
            var image = CiPipelineIn(RootDirectory).JobImage!;
            var repository = ImageReference.Repository(DockerRegistry, image.Repository);
            var reference = $"{repository}:{image.ContentTag}";
            using var docker = await DockerConnection.ConnectAsync(Log, cancellationToken, DockerEngine.Endpoint.ToString());
            if (await RegistryManifest.ExistsAsync(docker, reference, cancellationToken))
            {
                Log.Information($"{reference} is already in the registry: ci/toolchain has not changed since it was pushed");
                ReportSummary("CI image", $"{reference} (already pushed)");
                return;
            }

            var context = TemporaryDirectory / "ci-image-context";
            StageCiImageContext(context);
            var buildArgs = CiImageBase is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["BASE_IMAGE"] = CiImageBase };
            var built = await new ImageBuilder(docker, Log).BuildAsync(new ImageBuildRequest(context, "Dockerfile", [reference], buildArgs, new Dictionary<string, string>()), cancellationToken);
            await CheckCiImageExecutablesAsync(docker, reference, cancellationToken);
            var digest = await new ImagePusher(docker, Log, new RetryPolicy()).PushAsync(repository, [image.ContentTag], RegistryLogin, cancellationToken);

            ReportSummary("CI image", $"{reference}@{digest}");
            ReportSummary("Size", built.SizeText);
        });

    /// <summary>
    /// The generator trusts executables.txt when it checks each job's tools, so an image that does not hold what the
    /// list promises is never pushed: the jobs would fail on it with "Missing tools" one by one.
    /// </summary>
    async Task CheckCiImageExecutablesAsync(IDockerClient docker, string reference, CancellationToken cancellationToken)
    {
        var promised = CiImageExecutables(RootDirectory).Append("dotnet");
        var missing = await new ImageExecutables(docker).MissingAsync(reference, promised, cancellationToken);
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing);
            throw new InvalidOperationException(
                $"The CI toolchain image built from {CiImageFolder}/Dockerfile has no {names} on PATH, but {CiImageFolder}/executables.txt promises it to the CI jobs. "
                + $"Install {names} in the Dockerfile, or remove it from executables.txt and run ./build.sh GenerateCi (the jobs that need it are then refused at generation).");
        }

        Log.Information($"{reference} holds every executable of {CiImageFolder}/executables.txt");
    }

    /// <summary>The image's folder as it is, plus the host's CA bundle when there is one; the content tag ignores the bundle.</summary>
    void StageCiImageContext(AbsolutePath context)
    {
        if (Directory.Exists(context))
        {
            Directory.Delete(context, recursive: true);
        }

        var source = RootDirectory / CiImageFolder;
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = context / Path.GetRelativePath(source, file);
            Directory.CreateDirectory(destination.Parent);
            File.Copy(file, destination);
        }

        if (File.Exists(HostCaBundle))
        {
            File.Copy(HostCaBundle, context / "extra-ca.crt");
        }
    }
}
