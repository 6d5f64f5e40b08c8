using ExampleService.Data;
using ExampleService.Infrastructure.Audit;
using ExampleService.Infrastructure.Configuration;
using ExampleService.Infrastructure.Health;
using ExampleService.Infrastructure.Http;
using ExampleService.Infrastructure.Logging;
using ExampleService.Infrastructure.Metrics;
using ExampleService.Infrastructure.Security;
using ExampleService.Infrastructure.Tracing;
using ExampleService.Users;
using Microsoft.Extensions.Options;
using Prometheus;

namespace ExampleService;

/// <summary>The whole service: what it registers and the order requests flow through it.</summary>
public static class ServiceSetup
{
    public static WebApplicationBuilder AddExampleService(this WebApplicationBuilder builder)
    {
        builder.AddServiceLogging();
        builder.AddTracingIfConfigured();
        var services = builder.Services;
        services.AddSettings<ServerOptions>(ServerOptions.Section);
        services.AddSettings<ManagementOptions>(ManagementOptions.Section);
        services.AddOptions<HostOptions>().Configure<IOptions<ServerOptions>>((host, server) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(server.Value.ShutdownTimeoutSeconds));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditLog>();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
        services.AddApiProblemDetails();
        services.AddApiAccess();
        services.AddApiRateLimiting();
        services.AddUsersDatabase();
        services.AddProbes();
        services.AddServiceMetrics();
        services.AddApiDocument();
        return builder;
    }

    public static WebApplication UseExampleService(this WebApplication app)
    {
        app.StartTracingIfConfigured();
        var metrics = app.Services.GetRequiredService<ServiceMetrics>();
        app.UseRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRouting();
        app.UseManagementPort();
        app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
        // Authentication first, so the rate limiter partitions by caller; authorization after it, so anonymous
        // requests are limited by address before they are refused.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapUsers();
        app.MapPing();
        var operations = app.MapOperations();
        operations.MapProbes();
        operations.MapMetrics(registry: metrics.Registry);
        app.MapApiDocumentIfEnabled();
        return app;
    }
}
