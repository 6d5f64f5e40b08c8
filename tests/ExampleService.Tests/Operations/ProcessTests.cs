using System.Globalization;
using ExampleService.Tests.Infrastructure;
using TypedBuild;

namespace ExampleService.Tests.Operations;

/// <summary>The service as a process: the migrate command, refusing bad settings, and stopping cleanly on SIGTERM.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Migrate_command_creates_the_data_directory_and_the_schema_then_exits()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>(), "migrate");

        Assert.Equal(0, await service.WaitForExitAsync());
        Assert.True(File.Exists(Path.Combine(service.WorkingDirectory, "data", "example-service.db")), service.Output);
        Assert.Contains("Database migrated: applied 1 migration(s)", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database__Provider", "Oracle", "Database__Provider must be 'Sqlite' or 'Postgres' (got 'Oracle')")]
    [InlineData("Database__Provider", "Postgres", "Database__ConnectionString is required when Database__Provider is Postgres")]
    [InlineData("RateLimiting__PermitLimit", "lots", "RateLimiting__PermitLimit has a value of the wrong type")]
    [InlineData("Server__MaxRequestBodyBytes", "10", "Server__MaxRequestBodyBytes must be between 1024 and 104857600 (got 10)")]
    [InlineData("Authentication__ApiKeys__0__Sha256", "abc", "Authentication__ApiKeys__0__Sha256 must be the 64 hex digits of the key's SHA-256 (got 3 characters)")]
    [InlineData("Authentication__DeveloperMode", "true", "Authentication__DeveloperMode=true is refused in the 'Production' environment")]
    [InlineData("Authentication__ApiKeysFile", "/no/such/keys.json", "Authentication__ApiKeysFile names '/no/such/keys.json', which cannot be read")]
    [InlineData("Authentication__Authority", "http://issuer.example.com", "Authentication__Authority must use https")]
    [InlineData("Database__ConnectionString", "no equals sign here", "Database__ConnectionString is not a connection string")]
    [InlineData("Syslog__Facility", "24", "Syslog__Facility must be between 0 and 23 (got 24)")]
    public async Task A_bad_setting_stops_the_service_with_a_message_naming_it(string name, string value, string message)
    {
        var environment = new Dictionary<string, string>
        {
            [name] = value,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPorts.Free()}",
        };
        await using var service = ServiceProcess.Start(environment);

        Assert.Equal(2, await service.WaitForExitAsync());
        Assert.Contains($"Invalid configuration: {message}", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);
    }

    public static TheoryData<Dictionary<string, string>, string> EnvironmentProblems => new()
    {
        {
            new() { ["Authentication__Authority"] = "https://127.0.0.1:1/realms/none", ["Authentication__Audience"] = "api" },
            "Authentication__Authority 'https://127.0.0.1:1/realms/none': the issuer's metadata document (https://127.0.0.1:1/realms/none/.well-known/openid-configuration) could not be read"
        },
        {
            new() { ["Database__Provider"] = "Postgres", ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=users;Username=app;Password=hunter2-secret", ["Database__MigrateOnStartup"] = "true" },
            "The database refused or did not answer ("
        },
        {
            new() { ["Database__DataDirectory"] = "/proc/example-service-data" },
            "The SQLite database '/proc/example-service-data/example-service.db' cannot be created ("
        },
    };

    [Theory]
    [MemberData(nameof(EnvironmentProblems))]
    public async Task A_start_up_problem_of_the_environment_is_one_line_and_exit_code_2(Dictionary<string, string> environment, string message)
    {
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        await using var service = ServiceProcess.Start(environment);

        Assert.Equal(2, await service.WaitForExitAsync());
        var line = Assert.Single(service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("Invalid configuration: ", StringComparison.Ordinal));
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_that_is_not_json_stops_the_service_without_showing_its_content()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "id=ci sha256=not-json-secret-ish");
        try
        {
            await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["Authentication__ApiKeysFile"] = file });

            Assert.Equal(2, await service.WaitForExitAsync());
            Assert.Contains($"Invalid configuration: Authentication__ApiKeysFile '{file}' is not a JSON array", service.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("not-json-secret-ish", service.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Kestrel_refuses_a_chunked_body_over_the_limit_with_a_413_problem()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Server__MaxRequestBodyBytes"] = "2048",
        };
        await using var service = ServiceProcess.Start(environment);
        await service.WaitUntilHealthyAsync($"http://127.0.0.1:{port}/health/ready");
        using var client = new HttpClient();
        var body = $$"""{"username":"chunky","email":"c@example.com","displayName":"{{new string('x', 4096)}}"}""";
        // A stream of unknown length goes out chunked: no Content-Length for the middleware to check up front.
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/v1/users") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Api-Key", TestCredentials.FullKey);

        using var response = await client.SendAsync(request);

        await UsersApi.AssertProblemAsync(response, System.Net.HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Sigterm_stops_the_service_gracefully_with_exit_code_0()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        await service.WaitUntilHealthyAsync($"http://127.0.0.1:{port}/health/ready");

        await service.TerminateAsync();

        Assert.Equal(0, await service.WaitForExitAsync());
        Assert.Contains("Application is shutting down", service.Output, StringComparison.Ordinal);
    }
}
