using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.TestCredentials;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Security;

/// <summary>Who may read and write users: tokens of the trusted issuer, API keys, their scopes, and how refusals look.</summary>
public abstract class AccessTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    private const string ReaderKey = "tests-reader-key-9c3e1a7b5d2f";
    private const string OldWriterKey = "tests-old-writer-key-1b2c3d4e";
    private const string NewWriterKey = "tests-new-writer-key-5f6a7b8c";

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", UsersPath },
        { "GET", $"{UsersPath}/{Guid.NewGuid()}" },
        { "POST", UsersPath },
        { "PUT", $"{UsersPath}/{Guid.NewGuid()}" },
        { "PATCH", $"{UsersPath}/{Guid.NewGuid()}" },
        { "DELETE", $"{UsersPath}/{Guid.NewGuid()}" },
    };

    public static TheoryData<string, string> Writes => new()
    {
        { "POST", UsersPath },
        { "PUT", $"{UsersPath}/{Guid.NewGuid()}" },
        { "PATCH", $"{UsersPath}/{Guid.NewGuid()}" },
        { "DELETE", $"{UsersPath}/{Guid.NewGuid()}" },
    };

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Authentication:ApiKeys:1:Id"] = "reader",
        ["Authentication:ApiKeys:1:Sha256"] = Sha256(ReaderKey),
        ["Authentication:ApiKeys:1:Scopes"] = ReadScope,
        // A rotation in progress: the old and the new key of one client are both valid.
        ["Authentication:ApiKeys:2:Id"] = "writer-2026-01",
        ["Authentication:ApiKeys:2:Sha256"] = Sha256(OldWriterKey),
        ["Authentication:ApiKeys:2:Scopes"] = BothScopes,
        ["Authentication:ApiKeys:3:Id"] = "writer-2026-02",
        ["Authentication:ApiKeys:3:Sha256"] = Sha256(NewWriterKey),
        ["Authentication:ApiKeys:3:Scopes"] = BothScopes,
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_without_credentials_is_a_401_problem_naming_both_schemes(string method, string path)
    {
        using var response = await SendAsync(AnonymousClient(), method, path);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        var challenges = response.Headers.WwwAuthenticate.Select(c => c.ToString()).ToList();
        Assert.Equal(["Bearer realm=\"example-service\"", "ApiKey realm=\"example-service\", header=\"X-Api-Key\""], challenges);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_an_expired_token_a_foreign_issuer_and_another_audience(string method, string path)
    {
        await using var otherIssuer = await TestIssuer.StartAsync();
        string[] tokens =
        [
            TestIssuer.Shared.Issue("expired-user", BothScopes, expiresIn: TimeSpan.FromMinutes(-5)),
            otherIssuer.Issue("foreign-user", BothScopes),
            TestIssuer.Shared.Issue("other-audience-user", BothScopes, audience: "another-api"),
        ];

        foreach (var token in tokens)
        {
            using var response = await SendAsync(AnonymousClient(), method, path, h => h.Authorization = Bearer(token));

            var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Contains(response.Headers.WwwAuthenticate, c => c.ToString() == "Bearer realm=\"example-service\", error=\"invalid_token\"");
            Assert.DoesNotContain("expire", problem.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("audience", problem.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_read_scope_on_a_write_is_a_403_problem_naming_the_write_scope(string method, string path)
    {
        using var withToken = await SendAsync(AnonymousClient(), method, path, h => h.Authorization = Bearer(TestIssuer.Shared.Issue("reader", ReadScope)));
        using var withKey = await SendAsync(AnonymousClient(), method, path, h => h.Add("X-Api-Key", ReaderKey));

        var problem = await AssertProblemAsync(withToken, HttpStatusCode.Forbidden);
        Assert.Equal("This operation needs the scope 'users.write'.", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer realm=\"example-service\", error=\"insufficient_scope\", scope=\"users.write\"", withToken.Headers.WwwAuthenticate.Single().ToString());
        await AssertProblemAsync(withKey, HttpStatusCode.Forbidden);
        Assert.Equal("ApiKey realm=\"example-service\", error=\"insufficient_scope\", scope=\"users.write\"", withKey.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task A_write_scope_alone_does_not_read_and_a_read_scope_reads()
    {
        using var writerOnly = await SendAsync(AnonymousClient(), "GET", UsersPath, h => h.Authorization = Bearer(TestIssuer.Shared.Issue("writer", WriteScope)));
        using var reader = await SendAsync(AnonymousClient(), "GET", UsersPath, h => h.Authorization = Bearer(TestIssuer.Shared.Issue("reader", ReadScope)));
        using var readerKey = await SendAsync(AnonymousClient(), "GET", UsersPath, h => h.Add("X-Api-Key", ReaderKey));

        await AssertProblemAsync(writerOnly, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readerKey.StatusCode);
    }

    [Fact]
    public async Task Both_keys_of_a_rotation_write_and_read()
    {
        foreach (var key in new[] { OldWriterKey, NewWriterKey })
        {
            using var client = AnonymousClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);

            var (user, _) = await client.CreateUserAsync();
            using var read = await client.GetAsync($"{UsersPath}/{user.Id}");

            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Fact]
    public async Task An_unknown_key_and_a_mistyped_key_get_the_same_answer_that_names_neither()
    {
        using var unknown = await SendAsync(AnonymousClient(), "GET", UsersPath, h => h.Add("X-Api-Key", "no-such-key-at-all-0000000000"));
        using var mistyped = await SendAsync(AnonymousClient(), "GET", UsersPath, h => h.Add("X-Api-Key", NewWriterKey[..^1] + "x"));

        var first = await AssertProblemAsync(unknown, HttpStatusCode.Unauthorized);
        var second = await AssertProblemAsync(mistyped, HttpStatusCode.Unauthorized);
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.Equal(unknown.Headers.WwwAuthenticate.ToString(), mistyped.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("no-such-key", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_token_creates_reads_changes_and_deletes()
    {
        using var client = AnonymousClient();
        client.DefaultRequestHeaders.Authorization = Bearer(TestIssuer.Shared.Issue("admin", BothScopes));

        var (user, etag) = await client.CreateUserAsync();
        using var read = await client.GetAsync($"{UsersPath}/{user.Id}");
        using var delete = await client.SendAsync(HttpMethod.Delete, $"{UsersPath}/{user.Id}", headers: h => h.IfMatch.Add(etag));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, Action<HttpRequestHeaders>? headers = null) =>
        client.SendAsync(new HttpMethod(method), path, method is "POST" or "PUT" ? JsonContent.Create(NewUser(), options: Json) : null, headers);
}

public sealed class AccessSqliteTests(ServiceSlot slot) : AccessTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class AccessPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : AccessTests(slot, postgres);

/// <summary>Developer mode: the one way to run without credentials, and only in the Development environment.</summary>
public sealed class DeveloperModeTests
{
    [Fact]
    public async Task In_the_development_environment_developer_mode_lets_anonymous_requests_read_and_write()
    {
        var database = await SqliteDatabases.Instance.CreateAsync("developer");
        var settings = new Dictionary<string, string?>(database.Settings) { ["Authentication:DeveloperMode"] = "true" };
        try
        {
            await using var service = new ServiceFactory(settings, environment: "Development");
            using var client = service.CreateClient();

            var (user, _) = await client.CreateUserAsync();
            using var read = await client.GetAsync($"{UsersPath}/{user.Id}");

            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        finally
        {
            database.Remove();
        }
    }
}
