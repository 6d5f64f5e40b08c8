namespace ExampleService.Build.Delivery.Image;

/// <summary>The two images the service ships as: same Dockerfile, different publish and base.</summary>
public enum ImageVariant
{
    /// <summary>Framework-dependent on the ASP.NET Core runtime image.</summary>
    Standard,

    /// <summary>Self-contained and trimmed on the runtime-deps image: the smallest image.</summary>
    Trimmed,
}

/// <summary>What each variant publishes and builds on.</summary>
public static class ImageVariants
{
    public const string RuntimeIdentifier = "linux-x64";

    /// <summary>The usual public base image, used when it is present locally or can be pulled.</summary>
    public static string DefaultBaseImage(this ImageVariant variant) => variant switch
    {
        ImageVariant.Trimmed => "mcr.microsoft.com/dotnet/runtime-deps:10.0",
        _ => "mcr.microsoft.com/dotnet/aspnet:10.0",
    };

    /// <summary>The base the build assembles from the host when the default cannot be had.</summary>
    public static LocalBaseKind LocalBase(this ImageVariant variant)
        => variant == ImageVariant.Trimmed ? LocalBaseKind.RuntimeDeps : LocalBaseKind.AspNet;

    /// <summary>Appended to every tag of the trimmed variant so both variants can live in one repository.</summary>
    public static string TagSuffix(this ImageVariant variant) => variant == ImageVariant.Trimmed ? "-trimmed" : string.Empty;

    /// <summary>
    /// Whether the image ships a start-up JIT profile (<see cref="StartupProfileRecorder"/>). Multi-core JIT records
    /// nothing for the assemblies of a single-file executable (the profile stays a bare header), so the trimmed
    /// variant ships none.
    /// </summary>
    public static bool ShipsStartupProfile(this ImageVariant variant) => variant == ImageVariant.Standard;

    /// <summary>Lower-case name: the staging folder and the log.</summary>
    public static string Id(this ImageVariant variant) => variant.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>dotnet publish</c> switches of the variant. Trimming is partial: framework assemblies are trimmed, the
    /// service, EF Core and Npgsql are kept whole, because EF Core builds its model by reflection and is not
    /// trim-safe (IL2026); JSON uses the source-generated context, so trimmed reflection metadata is not needed.
    /// The result is one compressed single-file executable (beside it only SQLite's native library): its managed
    /// assemblies are inflated in memory at start (nothing is extracted, so a read-only root filesystem works),
    /// which halves the image for about half a second more start-up.
    /// </summary>
    public static IReadOnlyList<string> PublishArguments(this ImageVariant variant) => variant switch
    {
        ImageVariant.Trimmed =>
        [
            "--self-contained", "true",
            "-p:PublishTrimmed=true",
            "-p:TrimMode=partial",
            // EF Core's and the options binder's trim warnings are known and covered by TrimMode=partial.
            "-p:EnableTrimAnalyzer=false",
            "-p:SuppressTrimAnalysisWarnings=true",
            "-p:EnableConfigurationBindingGenerator=false",
            "-p:PublishSingleFile=true",
            "-p:EnableCompressionInSingleFile=true",
        ],
        _ => ["--self-contained", "false"],
    };
}
