using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>What every response gets from the pipeline, whatever the endpoint: security headers, metrics, documents.</summary>
public sealed class HttpPipelineTests(ServiceSlot slot) : ServiceTests(slot, SqliteDatabases.Instance)
{
    [Theory]
    [InlineData("/api/v1/ping")]
    [InlineData("/api/v1/users")]
    [InlineData("/no/such/route")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Ping_answers_ok_without_the_database()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>("/api/v1/ping");

        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Metrics_count_and_time_requests_by_route_and_status()
    {
        var (user, _) = await Client.CreateUserAsync();
        (await Client.GetAsync($"{UsersPath}/{user.Id}")).Dispose();
        (await Client.GetAsync($"{UsersPath}/{Guid.NewGuid()}")).Dispose();

        var lines = await MetricLinesAsync();

        Assert.Contains(lines, l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && l.Contains("code=\"200\"", StringComparison.Ordinal) && l.Contains("endpoint=\"/api/v1/users/{id:guid}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("http_requests_received_total{", StringComparison.Ordinal)
            && l.Contains("code=\"404\"", StringComparison.Ordinal) && l.Contains("endpoint=\"/api/v1/users/{id:guid}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("http_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("code=\"201\"", StringComparison.Ordinal) && l.Contains("method=\"POST\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_users_gauge_follows_creates_and_deletes_of_this_instance_only()
    {
        var before = await UsersGaugeAsync();

        var (user, etag) = await Client.CreateUserAsync();
        Assert.Equal(before + 1, await UsersGaugeAsync());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{UsersPath}/{user.Id}");
        delete.Headers.IfMatch.Add(etag);
        (await Client.SendAsync(delete)).EnsureSuccessStatusCode().Dispose();
        Assert.Equal(before, await UsersGaugeAsync());
    }

    [Fact]
    public async Task Metrics_include_the_process_the_runtime_and_ef_core_but_no_second_request_histogram()
    {
        (await Client.GetAsync("/api/v1/ping")).Dispose();

        var lines = await MetricLinesAsync();

        Assert.Contains(lines, l => l.StartsWith("process_cpu_seconds_total ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("system_runtime_dotnet_gc_collections", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("microsoft_entityframeworkcore_", StringComparison.Ordinal));
        // Requests are measured once, by http_request_duration_seconds: ASP.NET Core's own per-request meters stay out.
        Assert.DoesNotContain(lines, l => l.StartsWith("microsoft_aspnetcore_hosting_", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("microsoft_aspnetcore_routing_", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("private_", StringComparison.Ordinal));
    }

    private async Task<string[]> MetricLinesAsync() => (await Client.GetStringAsync("/metrics")).Split('\n');

    private async Task<double> UsersGaugeAsync()
    {
        var gauge = Assert.Single(await MetricLinesAsync(), l => l.StartsWith("example_service_users ", StringComparison.Ordinal));
        return double.Parse(gauge.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_openapi_document_and_the_reference_page_are_served()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        using var page = await Client.GetAsync("/scalar/v1");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/users/{id}", out _));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>The users API is rate limited per caller (identity, or address when anonymous); over the limit answers 429 with Retry-After.</summary>
public sealed class RateLimitTests(ServiceSlot slot) : ServiceTests(slot, SqliteDatabases.Instance)
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "3",
        ["RateLimiting:WindowSeconds"] = "60",
    };

    [Fact]
    public async Task Requests_over_the_limit_are_a_429_problem_with_retry_after()
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await Client.GetAsync(UsersPath);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await Client.GetAsync(UsersPath);
        using var ping = await Client.GetAsync("/api/v1/ping");

        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Each_caller_has_its_own_window_and_anonymous_requests_share_their_address_one()
    {
        using var first = AnonymousClient().Authorized(subject: "first-caller");
        using var second = AnonymousClient().Authorized(subject: "second-caller");
        using var anonymous = AnonymousClient();
        for (var i = 0; i < 3; i++)
        {
            (await first.GetAsync(UsersPath)).EnsureSuccessStatusCode().Dispose();
            using var refused = await anonymous.GetAsync(UsersPath);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var firstLimited = await first.GetAsync(UsersPath);
        using var secondAllowed = await second.GetAsync(UsersPath);
        using var anonymousLimited = await anonymous.GetAsync(UsersPath);

        Assert.Equal(HttpStatusCode.TooManyRequests, firstLimited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondAllowed.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, anonymousLimited.StatusCode);
    }
}
