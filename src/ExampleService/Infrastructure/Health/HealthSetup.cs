using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExampleService.Infrastructure.Health;

/// <summary>
/// Kubernetes-style probes in every environment: live = the process answers (never the database, so a database
/// blip does not restart pods), ready = database reachable and fully migrated, startup = host started.
/// </summary>
public static class HealthSetup
{
    private const string ReadyTag = "ready";
    private const string StartupTag = "startup";

    public static IServiceCollection AddProbes(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<StartedHealthCheck>("started", tags: [StartupTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Probe(_ => false));
        app.MapHealthChecks("/health/ready", Probe(check => check.Tags.Contains(ReadyTag)));
        app.MapHealthChecks("/health/startup", Probe(check => check.Tags.Contains(StartupTag)));
        return app;
    }

    private static HealthCheckOptions Probe(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteJsonAsync,
    };

    private static async Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
