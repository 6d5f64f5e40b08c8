using System.Diagnostics;
using System.Net;
using ExampleService.Build.Quality;
using TypedBuild;

namespace Build.Tests.Quality;

public class SonarTests
{
    private static SonarSettings Settings() => new(
        "https://sonar.example.com/",
        "example-service",
        "acme",
        "1.0.0-feature-x.4",
        "artifacts/coverage/**/coverage.opencover.xml",
        "artifacts/test-results/*.trx");

    [Fact]
    public void Branch_analysis_passes_key_version_reports_gate_and_branch_but_no_token()
    {
        var arguments = (Settings() with { Branch = "feature/x" }).BeginArguments();

        Assert.Equal(
            [
                "begin", "/k:example-service", "/o:acme", "/v:1.0.0-feature-x.4",
                "/d:sonar.host.url=https://sonar.example.com",
                "/d:sonar.cs.opencover.reportsPaths=artifacts/coverage/**/coverage.opencover.xml",
                "/d:sonar.cs.vstest.reportsPaths=artifacts/test-results/*.trx",
                "/d:sonar.qualitygate.wait=true",
                "/d:sonar.branch.name=feature/x",
            ],
            arguments);
        Assert.DoesNotContain(arguments, a => a.Contains("token", StringComparison.OrdinalIgnoreCase) || a.Contains("login", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Pull_request_analysis_replaces_the_branch_parameter()
    {
        var arguments = (Settings() with { Branch = "feature/x", PullRequestKey = "12", PullRequestBranch = "feature/x", PullRequestBase = "main" }).BeginArguments();

        Assert.Contains("/d:sonar.pullrequest.key=12", arguments);
        Assert.Contains("/d:sonar.pullrequest.branch=feature/x", arguments);
        Assert.Contains("/d:sonar.pullrequest.base=main", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("/d:sonar.branch.name", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_organization_or_branch_those_arguments_are_left_out()
    {
        var arguments = (Settings() with { Organization = null }).BeginArguments();

        Assert.DoesNotContain(arguments, a => a.StartsWith("/o:", StringComparison.Ordinal) || a.Contains("branch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, "set --sonar-host-url and --sonar-token")]
    [InlineData("https://sonar.example.com", "", "no SonarQube token configured")]
    [InlineData(" ", "secret", "no SonarQube server configured (set --sonar-host-url")]
    public void Analysis_is_skipped_with_the_missing_setting_named(string? host, string? token, string expected)
        => Assert.Contains(expected, SonarSettings.SkipReason(host, token), StringComparison.Ordinal);

    [Fact]
    public void The_token_travels_in_the_scanner_environment_next_to_properties_already_there()
    {
        var environment = SonarSettings.ScannerEnvironment("squ_token", """{"sonar.verbose":"true"}""");

        var parameters = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(environment[SonarSettings.ScannerParametersVariable]!);
        Assert.Equal(new Dictionary<string, string> { ["sonar.verbose"] = "true", ["sonar.token"] = "squ_token" }, parameters);
    }

    [Fact]
    public void Scanner_parameters_that_are_not_a_json_object_are_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SonarSettings.ScannerEnvironment("squ_token", "sonar.verbose=true"));

        Assert.StartsWith("SONARQUBE_SCANNER_PARAMS must be a JSON object of analysis properties", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analysis_runs_when_host_and_token_are_set()
        => Assert.Null(SonarSettings.SkipReason("https://sonar.example.com", "secret"));

    [Fact]
    public async Task Unreachable_server_fails_within_seconds_naming_the_url()
    {
        var port = LoopbackPorts.Free();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SonarServer.ProbeAsync($"http://127.0.0.1:{port}", SonarServer.DefaultTimeout, CancellationToken.None));

        Assert.Contains($"SonarQube server at http://127.0.0.1:{port} is unreachable", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < SonarServer.DefaultTimeout, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Reachable_server_reports_its_version()
    {
        using var server = new HttpListener();
        var port = LoopbackPorts.Free();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var answer = Task.Run(async () =>
        {
            var context = await server.GetContextAsync();
            var body = "10.7.0.96327"u8.ToArray();
            Assert.Equal("/api/server/version", context.Request.Url!.AbsolutePath);
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });

        var version = await SonarServer.ProbeAsync($"http://127.0.0.1:{port}/", SonarServer.DefaultTimeout, CancellationToken.None);
        await answer;

        Assert.Equal("10.7.0.96327", version);
    }

    [Fact]
    public async Task A_host_url_that_is_not_http_is_rejected_before_any_connection()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SonarServer.ProbeAsync("sonar.example.com", SonarServer.DefaultTimeout, CancellationToken.None));

        Assert.Contains("is not an http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INFO: QUALITY GATE STATUS: FAILED - View details on https://sonar/dashboard?id=x", "FAILED", false)]
    [InlineData("INFO: QUALITY GATE STATUS: PASSED - View details on https://sonar/dashboard?id=x", "PASSED", true)]
    [InlineData("INFO: ANALYSIS SUCCESSFUL", null, false)]
    public void Quality_gate_status_is_read_from_the_scanner_output(string line, string? status, bool passed)
    {
        Assert.Equal(status, QualityGate.Status(["INFO: some line", line]));
        Assert.Equal(passed, QualityGate.Passed(QualityGate.Status([line])));
    }
}
