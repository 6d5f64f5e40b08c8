using System.Globalization;
using System.Net;
using ExampleService.Tests.Infrastructure;
using TypedBuild;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>
/// With a management port, health and metrics answer only there and the API only on its own port: the service as a
/// process listening on both, as the chart runs it, so the port a connection arrives on is real.
/// </summary>
public sealed class ManagementPortTests
{
    private static readonly string[] OperationsPaths = ["/health/live", "/health/ready", "/health/startup", "/metrics"];

    [Fact]
    public async Task Operations_endpoints_answer_on_the_management_port_only_and_the_api_on_its_own_only()
    {
        var apiPort = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        var managementPort = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{apiPort};http://127.0.0.1:{managementPort}",
            ["Management__Port"] = managementPort,
        });
        await service.WaitUntilHealthyAsync($"http://127.0.0.1:{managementPort}/health/ready");
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestCredentials.FullKey);

        foreach (var path in OperationsPaths)
        {
            using var onApiPort = await client.GetAsync($"http://127.0.0.1:{apiPort}{path}");
            using var onManagementPort = await client.GetAsync($"http://127.0.0.1:{managementPort}{path}");
            // A Host header naming the management port does not make the API port answer.
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{apiPort}{path}");
            spoofed.Headers.Host = $"127.0.0.1:{managementPort}";
            using var onApiPortSpoofed = await client.SendAsync(spoofed);

            Assert.Equal((path, HttpStatusCode.NotFound), (path, onApiPort.StatusCode));
            Assert.Equal((path, HttpStatusCode.OK), (path, onManagementPort.StatusCode));
            Assert.Equal((path, HttpStatusCode.NotFound), (path, onApiPortSpoofed.StatusCode));
        }

        using var usersOnApiPort = await client.GetAsync($"http://127.0.0.1:{apiPort}{UsersPath}");
        using var usersOnManagementPort = await client.GetAsync($"http://127.0.0.1:{managementPort}{UsersPath}");
        Assert.Equal(HttpStatusCode.OK, usersOnApiPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, usersOnManagementPort.StatusCode);
    }
}

/// <summary>Outside Development the OpenAPI document and its UI are off unless ApiDocument__Enabled turns them on.</summary>
public sealed class ApiDocumentSwitchTests(ServiceSlot slot) : ServiceTests(slot, SqliteDatabases.Instance)
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        // Unset, as in a protected environment.
        ["ApiDocument:Enabled"] = null,
    };

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task Outside_development_the_api_document_is_off_unless_turned_on(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
