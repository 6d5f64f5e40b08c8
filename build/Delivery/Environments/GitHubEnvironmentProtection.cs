using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ExampleService.Build.Delivery.Environments;

/// <summary>
/// GitHub creates an environment without protection the first time a job names it, and such a job runs unapproved. So
/// a GitHub job acting on a protected environment asks the REST API whether the environment has required reviewers,
/// and fails closed when it has none or the API cannot tell.
/// </summary>
public sealed class GitHubEnvironmentProtection(HttpClient http)
{
    /// <summary>What the job's token needs: <c>actions: read</c> reads environments (the generated jobs grant it).</summary>
    public const string TokenPermission = "actions: read";

    /// <summary>github.com's API; GitHub Enterprise Server runners set GITHUB_API_URL to their own.</summary>
    public static Uri PublicApi { get; } = new("https://api.github.com");

    /// <summary>The API URL as a base for relative paths (with its trailing slash).</summary>
    public static Uri BaseOf(Uri api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return api.AbsolutePath.EndsWith('/') ? api : new UriBuilder(api) { Path = api.AbsolutePath + "/" }.Uri;
    }

    /// <summary>Returns who may approve, or throws with what to configure.</summary>
    public async Task<string> RequireReviewersAsync(Uri apiUrl, string? repository, string? token, string environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        var configure = $"In the repository's Settings → Environments → {environment}, add Required reviewers (GitHub Enterprise for private repositories; see README, 'Approvals').";
        if (string.IsNullOrWhiteSpace(repository) || string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException(
                $"Cannot confirm that GitHub environment '{environment}' requires a review: the job has no GITHUB_REPOSITORY or GITHUB_TOKEN (the generated job passes GITHUB_TOKEN with {TokenPermission}). Refusing to act on a protected environment unreviewed.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiUrl, $"repos/{repository}/environments/{Uri.EscapeDataString(environment)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("example-service-build");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"GitHub environment '{environment}' does not exist in {repository}, so nobody approved this job. {configure}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Cannot read GitHub environment '{environment}' of {repository} ({(int)response.StatusCode} {response.ReasonPhrase}): the job's token needs {TokenPermission}. Refusing to act on a protected environment unreviewed.");
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        var reviewers = document.RootElement.TryGetProperty("protection_rules", out var rules) && rules.ValueKind == JsonValueKind.Array
            ? rules.EnumerateArray()
                .Where(rule => rule.TryGetProperty("type", out var type) && type.GetString() == "required_reviewers")
                .SelectMany(rule => rule.TryGetProperty("reviewers", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [])
                .Select(ReviewerName)
                .ToList()
            : [];
        return reviewers.Count > 0
            ? $"GitHub environment '{environment}' requires a review by {string.Join(", ", reviewers)}"
            : throw new InvalidOperationException($"GitHub environment '{environment}' has no required reviewers, so this job ran without an approval. {configure}");
    }

    /// <summary>A user's login or a team's slug.</summary>
    private static string ReviewerName(JsonElement reviewer)
    {
        if (!reviewer.TryGetProperty("reviewer", out var who))
        {
            return "?";
        }

        if (who.TryGetProperty("login", out var login))
        {
            return login.GetString() ?? "?";
        }

        return who.TryGetProperty("slug", out var slug) ? slug.GetString() ?? "?" : "?";
    }
}
