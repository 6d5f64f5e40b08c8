using System.Net;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>With a management port, health and metrics answer only there; the API port serves the API alone.</summary>
public sealed class ManagementPortTests(ServiceSlot slot) : ServiceTests(slot, SqliteDatabases.Instance)
{
    private const string ManagementPort = "8081";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Management:Port"] = ManagementPort,
        // Unset, as in a protected environment: the API document is off.
        ["ApiDocument:Enabled"] = null,
    };

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    [InlineData("/metrics")]
    public async Task Operations_endpoints_answer_on_the_management_port_only(string path)
    {
        using var onApiPort = await Client.GetAsync(path);
        using var onManagementPort = await Client.GetAsync($"http://localhost:{ManagementPort}{path}");

        Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onManagementPort.StatusCode);
    }

    [Fact]
    public async Task The_api_answers_on_its_port()
    {
        using var response = await Client.GetAsync(UsersPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task Outside_development_the_api_document_is_off_unless_turned_on(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
