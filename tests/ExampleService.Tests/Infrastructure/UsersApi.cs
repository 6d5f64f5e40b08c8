using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExampleService.Users;

namespace ExampleService.Tests.Infrastructure;

/// <summary>Calls of the users API and the checks every answer of a kind gets.</summary>
public static class UsersApi
{
    public const string UsersPath = "/api/v1/users";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A valid request with a username and e-mail no other test uses.</summary>
    public static UserRequest NewUser(string? department = null, string? displayName = null, bool? active = null)
    {
        var name = $"user-{Guid.NewGuid():N}"[..17];
        return new UserRequest(name, $"{name}@example.com", displayName ?? $"User {name}", "Given", "Family", department, "Engineer", "+41445551234", active);
    }

    public static async Task<(UserResponse User, EntityTagHeaderValue ETag)> CreateUserAsync(this HttpClient client, UserRequest? request = null)
    {
        using var response = await client.PostAsJsonAsync(UsersPath, request ?? NewUser(), Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadUserAsync(response), response.Headers.ETag!);
    }

    public static async Task<UserResponse> ReadUserAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<UserResponse>(Json))!;
    }

    public static Task<HttpResponseMessage> SendAsync(
        this HttpClient client, HttpMethod method, string uri, HttpContent? content = null, Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        headers?.Invoke(request.Headers);
        return client.SendAsync(request);
    }

    public static StringContent MergePatch(string json) => new(json, Encoding.UTF8, JsonMergePatch.MediaType);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Checks an RFC 9457 answer (status, media type, trace id) and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return problem;
    }

    /// <summary>Checks a field-level validation problem and returns the messages of <paramref name="field"/>.</summary>
    public static async Task<string[]> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"No 'errors' in {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}");
        return messages.EnumerateArray().Select(m => m.GetString()!).ToArray();
    }
}
