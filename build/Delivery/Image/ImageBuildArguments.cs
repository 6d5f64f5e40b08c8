using System.Globalization;

namespace ExampleService.Build.Delivery.Image;

/// <summary>The Dockerfile's build arguments: the base, the staged publish output, and the values of the OCI labels.</summary>
public static class ImageBuildArguments
{
    public const string UnknownRevision = "unknown";

    public static IReadOnlyDictionary<string, string> For(
        string baseImage,
        string publishDirectory,
        string version,
        string? revision,
        string? sourceUrl,
        DateTimeOffset created) => new Dictionary<string, string>
        {
            ["BASE_IMAGE"] = baseImage,
            ["PUBLISH_DIR"] = publishDirectory,
            ["VERSION"] = version,
            ["REVISION"] = string.IsNullOrWhiteSpace(revision) ? UnknownRevision : revision.Trim(),
            ["SOURCE"] = SourceUrl(sourceUrl),
            // RFC 3339, as the OCI image spec asks for org.opencontainers.image.created.
            ["CREATED"] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };

    /// <summary>A browsable URL: <c>owner/name</c> (what CI hosts report) becomes a GitHub URL; .git and credentials are dropped.</summary>
    public static string SourceUrl(string? repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            return "unknown";
        }

        var value = repository.Trim();
        if (value.EndsWith(".git", StringComparison.Ordinal))
        {
            value = value[..^4];
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
        {
            return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString().TrimEnd('/');
        }

        return value.Count(c => c == '/') == 1 && !value.Contains(':', StringComparison.Ordinal) ? $"https://github.com/{value}" : value;
    }
}
