using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace ExampleService.Infrastructure.Logging;

/// <summary>
/// Structured console logs (JSON lines by default; <c>Logging__Console__FormatterName=simple</c> for one readable line
/// per record) with scopes, so request lines show the trace id, plus the RFC 5424 file when <c>Syslog__Path</c> is set.
/// </summary>
public static class LoggingSetup
{
    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        // The formatter named in configuration wins; without one, JSON, which log collectors parse without rules.
        builder.Logging.AddConsole(options => options.FormatterName ??= ConsoleFormatterNames.Json);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(options =>
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
