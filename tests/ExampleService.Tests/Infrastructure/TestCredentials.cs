using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ExampleService.Tests.Infrastructure;

/// <summary>The credentials the test hosts accept: tokens of <see cref="TestIssuer.Shared"/>, and API keys by their hashes.</summary>
public static class TestCredentials
{
    public const string ReadScope = "users.read";
    public const string WriteScope = "users.write";
    public const string BothScopes = $"{ReadScope} {WriteScope}";

    /// <summary>A key with both scopes that every test host accepts (as its SHA-256 only).</summary>
    public const string FullKey = "tests-full-key-4f1d2c8b9a7e6d5c";

    /// <summary>The settings that make a host trust <see cref="TestIssuer.Shared"/> and accept <see cref="FullKey"/>.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Authentication:Authority"] = TestIssuer.Shared.Url,
        ["Authentication:Audience"] = TestIssuer.Audience,
        ["Authentication:RequireHttpsMetadata"] = "false",
        ["Authentication:ApiKeys:0:Id"] = "tests-full",
        ["Authentication:ApiKeys:0:Sha256"] = Sha256(FullKey),
        ["Authentication:ApiKeys:0:Scopes"] = BothScopes,
    };

    /// <summary>The hex SHA-256 of a key, as the service's settings hold it.</summary>
    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Sends a token of the shared test issuer with both scopes on every request of <paramref name="client"/>.</summary>
    public static HttpClient Authorized(this HttpClient client, string subject = "test-user", string scopes = BothScopes)
    {
        client.DefaultRequestHeaders.Authorization = Bearer(TestIssuer.Shared.Issue(subject, scopes));
        return client;
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
