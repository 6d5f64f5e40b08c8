using System.Net;
using ExampleService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Operations;

/// <summary>Traces over OTLP/HTTP to a receiver on loopback: the request, its database command and its outgoing HTTP call.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task A_request_s_spans_reach_the_otlp_endpoint_with_the_trace_id_its_problem_details_carry()
    {
        await using var receiver = new OtlpReceiver();
        var (service, database) = await StartAsync(receiver);
        try
        {
            using var client = service.CreateClient().Authorized();
            using var response = await client.GetAsync($"{UsersPath}/{Guid.NewGuid()}");
            var traceId = (await AssertProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("traceId").GetString()!;

            var spans = (await receiver.WaitForAsync(all =>
                all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.ServerKind)
                && all.Any(s => s.TraceId == traceId && s.Scope.Contains("EntityFrameworkCore", StringComparison.Ordinal))
                && all.Any(IsIssuerMetadataCall))).ToList();
            // The start-up reads the issuer's metadata (outgoing HTTP) before any request: a trace of its own. (Other
            // test hosts in this process start too, and their calls are seen as well: hence Contains, not Single.)
            Assert.Contains(spans, s => IsIssuerMetadataCall(s) && s.Kind == ReceivedSpan.ClientKind);
            spans = [.. spans.Where(s => s.TraceId == traceId)];

            var request = Assert.Single(spans, s => s.Kind == ReceivedSpan.ServerKind);
            Assert.Equal("Microsoft.AspNetCore", request.Scope);
            Assert.Equal("GET /api/v1/users/{id:guid}", request.Name);
            Assert.Equal("404", request.Attributes["http.response.status_code"]);
            Assert.Equal("example-service", request.ServiceName);
            var command = Assert.Single(spans, s => s.Scope.Contains("EntityFrameworkCore", StringComparison.Ordinal));
            Assert.Equal(ReceivedSpan.ClientKind, command.Kind);
            Assert.Equal(request.SpanId, command.ParentSpanId);
            Assert.Contains("/v1/traces", receiver.Paths);
        }
        finally
        {
            await service.DisposeAsync();
            database.Remove();
        }
    }

    [Fact]
    public async Task A_caller_s_traceparent_continues_its_trace_and_probes_are_not_traced()
    {
        await using var receiver = new OtlpReceiver();
        var (service, database) = await StartAsync(receiver);
        try
        {
            var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            const string CallerSpanId = "00f067aa0ba902b7";
            using var client = service.CreateClient().Authorized();
            using var probe = await client.GetAsync("/health/live");
            using var request = new HttpRequestMessage(HttpMethod.Get, UsersPath);
            request.Headers.Add("traceparent", $"00-{traceId}-{CallerSpanId}-01");

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var spans = await receiver.WaitForAsync(all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.ServerKind));
            var server = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.ServerKind);
            Assert.Equal(CallerSpanId, server.ParentSpanId);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            Assert.DoesNotContain(spans, s => s.Name.Contains("/health", StringComparison.Ordinal));
        }
        finally
        {
            await service.DisposeAsync();
            database.Remove();
        }
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_no_tracing_is_registered()
    {
        var database = await SqliteDatabases.Instance.CreateAsync("tracing-off");
        try
        {
            await using var service = new ServiceFactory(database.Settings);
            _ = service.Server;

            Assert.Null(service.Services.GetService<TracerProvider>());
        }
        finally
        {
            database.Remove();
        }
    }

    private static bool IsIssuerMetadataCall(ReceivedSpan span) => span.Scope == "System.Net.Http"
        && span.Attributes.GetValueOrDefault("url.full", "") == $"{TestIssuer.Shared.Url}/.well-known/openid-configuration";

    private static async Task<(ServiceFactory Service, TestDatabase Database)> StartAsync(OtlpReceiver receiver)
    {
        var database = await SqliteDatabases.Instance.CreateAsync("tracing");
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export within a tenth of a second instead of the default five.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        var service = new ServiceFactory(settings);
        _ = service.Server;
        return (service, database);
    }
}
