using System.Diagnostics;

namespace ExampleService.Infrastructure.Logging;

/// <summary>One line per request with method, path, status, duration and the trace id.</summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                string path = context.Request.Path;
                var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
                LogRequest(logger, context.Request.Method, path, context.Response.StatusCode, elapsedMs, traceId);
            }
        }
    }

    [LoggerMessage(EventId = 100, EventName = "Request", Level = LogLevel.Information,
        Message = "{Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms (trace {TraceId})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string traceId);
}
