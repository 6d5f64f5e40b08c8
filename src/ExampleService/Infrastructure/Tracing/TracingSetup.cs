using System.Reflection;
using System.Runtime.CompilerServices;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ExampleService.Infrastructure.Tracing;

/// <summary>
/// OpenTelemetry traces of requests (ASP.NET Core), database commands (EF Core, on SQLite and on Npgsql) and outgoing
/// HTTP (the issuer's metadata and keys), exported over OTLP when the standard variables name an endpoint
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
/// grpc or http/protobuf). Without one nothing is registered: no listener, no exporter, no start-up cost. Spans belong
/// to the request's Activity, so they carry the trace id the logs and problem details show (and an incoming
/// <c>traceparent</c> continues the caller's trace).
/// </summary>
public static class TracingSetup
{
    public const string DefaultServiceName = "example-service";

    private static readonly string[] EndpointVariables = ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    public static WebApplicationBuilder AddTracingIfConfigured(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!IsConfigured(configuration))
        {
            return builder;
        }

        AddTracing(builder.Services, configuration);
        return builder;
    }

    /// <summary>
    /// Builds the tracer provider now rather than when the host starts, so the start-up's own work (the issuer's
    /// metadata, the migration) is traced too.
    /// </summary>
    public static WebApplication StartTracingIfConfigured(this WebApplication app)
    {
        if (IsConfigured(app.Configuration))
        {
            BuildTracerProvider(app.Services);
        }

        return app;
    }

    private static bool IsConfigured(IConfiguration configuration) =>
        Array.Exists(EndpointVariables, name => !string.IsNullOrWhiteSpace(configuration[name]));

    // Methods of their own, so that without an endpoint the OpenTelemetry assemblies are not even loaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddTracing(IServiceCollection services, ConfigurationManager configuration)
    {
        var version = typeof(TracingSetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName, serviceVersion: version))
            .WithTracing(tracing => tracing
                // Probes and scrapes every few seconds would bury the requests that matter.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperations(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BuildTracerProvider(IServiceProvider services) => _ = services.GetService<TracerProvider>();

    private static bool IsOperations(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
