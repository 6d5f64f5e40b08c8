using ExampleService.Infrastructure.Configuration;

namespace ExampleService.Infrastructure.Logging;

/// <summary>
/// Console logs (simple by default; <c>Logging__Console__FormatterName=json</c> for JSON) with scopes, so request
/// lines show the trace id, plus the RFC 5424 file when <c>Syslog__Path</c> is set.
/// </summary>
public static class LoggingSetup
{
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.IncludeScopes = true;
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Services.AddSettings<SyslogOptions>(SyslogOptions.Section);
        builder.Services.AddSingleton<ILoggerProvider, SyslogFileLoggerProvider>();
        return builder;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestLoggingMiddleware>();
}
