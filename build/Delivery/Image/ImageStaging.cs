using System.Runtime.InteropServices;
using TypedBuild;
using TypedBuild.Processes;

namespace ExampleService.Build.Delivery.Image;

/// <summary>What to publish for an image: the project, the variant, the version stamped into the assemblies.</summary>
public sealed record ServicePublishRequest(AbsolutePath Project, ImageVariant Variant, string Version, string InformationalVersion)
{
    /// <summary>
    /// A start-up profile recorded from an earlier publish of the same inputs, shipped instead of recording one: a
    /// recording depends on the timing of the service's threads, so only a kept one gives the same image twice.
    /// </summary>
    public AbsolutePath? RecordedProfile { get; init; }
}

/// <summary>
/// Publishes the service into the Docker build context: <c>artifacts/image/&lt;variant&gt;/app</c> holds the
/// publish output, with the start-up JIT profile where the variant ships one (<see cref="StartupProfileRecorder"/>),
/// and <c>data</c> the empty directory the Dockerfile hands to the service user. <c>dotnet publish</c> runs here, not
/// in the Dockerfile, so no SDK image is needed; it uses its own intermediate folder so it never races the solution
/// build or a test run over <c>obj/</c>.
/// </summary>
public sealed class ImageStaging(AbsolutePath rootDirectory, AbsolutePath intermediateDirectory)
{
    /// <summary>The folder <c>.dockerignore</c> lets into the context.</summary>
    public AbsolutePath StagingRoot => rootDirectory / "artifacts" / "image";

    public AbsolutePath DirectoryOf(ImageVariant variant) => StagingRoot / variant.Id();

    /// <summary>The Dockerfile's <c>PUBLISH_DIR</c> build argument: the variant's folder relative to the context root.</summary>
    public string PublishDirArgument(ImageVariant variant) => DirectoryOf(variant).RelativeTo(rootDirectory).Replace('\\', '/');

    public IReadOnlyList<string> PublishArguments(ServicePublishRequest request) =>
    [
        "publish", request.Project,
        "--configuration", "Release",
        "--runtime", ImageVariants.RuntimeIdentifier,
        .. request.Variant.PublishArguments(),
        "--artifacts-path", intermediateDirectory / request.Variant.Id(),
        "--output", DirectoryOf(request.Variant) / "app",
        "-nologo",
        $"-p:Version={request.Version}",
        $"-p:InformationalVersion={request.InformationalVersion}",
        "-p:IncludeSourceRevisionInInformationalVersion=false",
        "-p:PublishDocumentationFile=false",
        // Source paths as /_/ in the assemblies and symbols: a clone in another folder publishes the same bytes.
        "-p:ContinuousIntegrationBuild=true",
    ];

    /// <summary>
    /// Publishes afresh (a stale file from an earlier publish must not reach the image), adds the start-up profile
    /// where the variant ships one (the recorded one when given, else recorded now), and returns the folder.
    /// </summary>
    public async Task<AbsolutePath> PublishAsync(IProcessRunner processes, IBuildLog log, ServicePublishRequest request, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(request.Variant);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        await processes.RunAsync("dotnet", PublishArguments(request), new ProcessOptions { WorkingDirectory = rootDirectory }, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(directory / "data");
        var entryPoint = directory / "app" / Path.GetFileNameWithoutExtension(request.Project.Name);
        if (!File.Exists(entryPoint))
        {
            throw new InvalidOperationException($"dotnet publish did not produce the app host {entryPoint} the image starts.");
        }

        if (request.Variant.ShipsStartupProfile())
        {
            if (request.RecordedProfile is { } recorded)
            {
                File.Copy(recorded, directory / "app" / StartupProfileRecorder.FileName, overwrite: true);
            }
            else if (StartupProfileRecorder.CanRecordOnThisHost)
            {
                await new StartupProfileRecorder(processes).RecordAsync(entryPoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                log.Information($"No start-up JIT profile: this {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} host cannot start the {ImageVariants.RuntimeIdentifier} service to record one, so the image starts without (about 0.2 s slower).");
            }
        }

        return directory;
    }
}
