using System.Text.Json;
using ExampleService.Infrastructure.Configuration;
using ExampleService.Infrastructure.Http;

namespace ExampleService.Infrastructure.Security;

/// <summary>
/// Keys from a JSON file, e.g. a mounted Kubernetes Secret: <c>[{"id":"ci","sha256":"…","scopes":"users.read"}]</c>.
/// A file that cannot be read stops the service with one line naming it.
/// </summary>
internal static class ApiKeyFile
{
    private const string Setting = $"{AccessOptions.Section}__{nameof(AccessOptions.ApiKeysFile)}";

    public static IEnumerable<ApiKeyEntry> Read(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return [];
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailureException($"{Setting} names '{path}', which cannot be read ({ex.GetType().Name}): mount the key file there or fix the path.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, AppJsonContext.Default.ListApiKeyEntry)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException ex)
        {
            // The position only, never the text: the file may hold something secret by mistake.
            throw new StartupFailureException($"{Setting} '{path}' is not a JSON array of {{\"id\", \"sha256\", \"scopes\"}} objects "
                + $"(line {ex.LineNumber + 1}); see README, 'API keys'.");
        }
    }
}
