using System.Net;
using System.Net.Http.Json;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.TestCredentials;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Security;

/// <summary>Each write leaves one audit record in the syslog file; no record or log line holds a secret or a personal value.</summary>
public sealed class AuditTests
{
    [Fact]
    public async Task Every_write_is_audited_with_caller_user_fields_and_trace_and_no_log_line_holds_a_secret_or_a_personal_value()
    {
        var database = await SqliteDatabases.Instance.CreateAsync("audit");
        var directory = Path.Combine(Path.GetTempPath(), $"example-service-audit-{Guid.NewGuid():N}");
        var path = Path.Combine(directory, "service.log");
        var settings = new Dictionary<string, string?>(database.Settings) { ["Syslog:Path"] = path };
        var token = TestIssuer.Shared.Issue("auditor-7", BothScopes);
        var request = NewUser(department: "Audit");
        string[] traces = [.. Enumerable.Range(0, 4).Select(_ => System.Diagnostics.ActivityTraceId.CreateRandom().ToString())];
        Guid id;
        string refusal;
        try
        {
            await using (var service = new ServiceFactory(settings))
            {
                using var client = service.CreateClient();
                client.DefaultRequestHeaders.Authorization = Bearer(token);
                using var keyClient = service.CreateClient();
                keyClient.DefaultRequestHeaders.Add("X-Api-Key", FullKey);

                using var created = await client.SendAsync(HttpMethod.Post, UsersPath, JsonContent.Create(request, options: Json), Traced(traces[0]));
                id = (await ReadUserAsync(created)).Id;
                using var patched = await client.SendAsync(HttpMethod.Patch, $"{UsersPath}/{id}", MergePatch("""{"phone":"+41449998877","title":null}"""), Traced(traces[1]));
                // A duplicate: refused, so no record.
                using var refused = await client.SendAsync(HttpMethod.Post, UsersPath, JsonContent.Create(request, options: Json), Traced(traces[3]));
                using var deleted = await keyClient.SendAsync(HttpMethod.Delete, $"{UsersPath}/{id}", headers: Traced(traces[2]));
                Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                refusal = await refused.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            }

            var lines = await File.ReadAllLinesAsync(path);
            var audit = lines.Where(l => l.Contains(" Audit [", StringComparison.Ordinal)).ToList();
            Assert.True(audit.Count == 3, string.Join("\n", audit));
            Assert.Contains($"Audit create of user {id} by auditor-7, fields username,email,displayName,givenName,familyName,department,title,phone,active (trace {traces[0]})", audit[0], StringComparison.Ordinal);
            Assert.Contains($"Audit update of user {id} by auditor-7, fields title,phone (trace {traces[1]})", audit[1], StringComparison.Ordinal);
            Assert.Contains($"Audit delete of user {id} by key:tests-full, fields - (trace {traces[2]})", audit[2], StringComparison.Ordinal);

            Assert.Contains(traces[3], refusal, StringComparison.Ordinal);
            string[] secrets = [token, FullKey, request.Username!, request.Email!, request.DisplayName!, request.Phone!, "+41449998877"];
            Assert.All(secrets, secret => Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)));
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, refusal, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            database.Remove();
        }
    }

    /// <summary>A W3C traceparent, so the request runs under a trace id the test knows.</summary>
    private static Action<System.Net.Http.Headers.HttpRequestHeaders> Traced(string traceId) =>
        headers => headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01");
}
