using System.Net;
using ExampleService.Infrastructure.Logging;
using ExampleService.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>The RFC 5424 log file: one line per record, request lines with the request's trace id.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Request_lines_reach_the_syslog_file_with_the_trace_id_of_the_request()
    {
        var database = await SqliteDatabases.Instance.CreateAsync("logging");
        var path = Path.Combine(Path.GetTempPath(), $"example-service-{Guid.NewGuid():N}", "logs", "service.log");
        var settings = new Dictionary<string, string?>(database.Settings) { ["Syslog:Path"] = path, ["Syslog:Facility"] = "16" };
        string traceId;
        var id = Guid.NewGuid();
        try
        {
            await using (var service = new ServiceFactory(settings))
            {
                using var client = service.CreateClient().Authorized();
                using var response = await client.GetAsync($"{UsersPath}/{id}");
                traceId = (await AssertProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("traceId").GetString()!;
                // The test client can see the response end before the middleware's finally logs it; a host disposed
                // in between would drop the line, which a real server's graceful stop (it waits for requests) never does.
                await WaitForLineAsync(path, $"GET {UsersPath}/{id} responded 404");
            }

            var lines = await File.ReadAllLinesAsync(path);
            var request = Assert.Single(lines, l => l.Contains($"GET {UsersPath}/{id} responded 404", StringComparison.Ordinal));
            // <local0.info>1 timestamp host app procid msgid [sd]... message
            Assert.Matches(@"^<134>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S+ example-service \d+ Request \[log@32473 ", request);
            Assert.Contains($"[trace@32473 traceId=\"{traceId}\"", request, StringComparison.Ordinal);
            Assert.Contains(lines, l => l.Contains("DatabaseMigrated", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
            database.Remove();
        }
    }

    private static async Task WaitForLineAsync(string path, string text)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path) && (await File.ReadAllLinesAsync(path)).Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public void Formatter_escapes_line_breaks_and_structured_data_and_appends_the_exception()
    {
        var formatter = new SyslogFormatter("app", facility: 1, "host name", 42);
        var entry = new SyslogEntry(
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), LogLevel.Error, "Cat\"egory]", new EventId(7), "two\nlines\r",
            new InvalidOperationException("boom"), null, null);

        var line = formatter.Format(entry);

        Assert.StartsWith("<11>1 2026-01-02T03:04:05.000000Z hostname app 42 7 [log@32473 category=\"Cat\\\"egory\\]\" level=\"Error\"] two\\nlines\\r | System.InvalidOperationException: boom", line);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData(LogLevel.Critical, 2)]
    [InlineData(LogLevel.Error, 3)]
    [InlineData(LogLevel.Warning, 4)]
    [InlineData(LogLevel.Information, 6)]
    [InlineData(LogLevel.Debug, 7)]
    [InlineData(LogLevel.Trace, 7)]
    public void Severity_follows_rfc5424(LogLevel level, int severity) =>
        Assert.Equal(severity, SyslogFormatter.Severity(level));

    [Fact]
    public void Empty_header_fields_become_the_nil_value()
    {
        var line = new SyslogFormatter("app", 1, " ", 1).Format(
            new SyslogEntry(DateTimeOffset.UnixEpoch, LogLevel.Information, "c", default, "m", null, "t", "s"));

        Assert.Equal("<14>1 1970-01-01T00:00:00.000000Z - app 1 - [log@32473 category=\"c\" level=\"Information\"][trace@32473 traceId=\"t\" spanId=\"s\"] m", line);
    }
}
