using System.Diagnostics;
using ExampleService.Infrastructure.Security;

namespace ExampleService.Infrastructure.Audit;

/// <summary>
/// One record per write, through the service's logs (so the syslog file): who, what (the user's id and the names of
/// the fields changed, never their values), when (the record's timestamp) and the request's trace id.
/// </summary>
public sealed partial class AuditLog(ILogger<AuditLog> logger)
{
    public void Record(HttpContext http, string action, Guid userId, IReadOnlyCollection<string> fields)
    {
        var caller = http.User.CallerId() ?? "anonymous";
        var traceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        LogWrite(logger, action, userId, caller, fields.Count == 0 ? "-" : string.Join(",", fields), traceId);
    }

    [LoggerMessage(EventId = 200, EventName = "Audit", Level = LogLevel.Information,
        Message = "Audit {Action} of user {UserId} by {Caller}, fields {Fields} (trace {TraceId})")]
    private static partial void LogWrite(ILogger logger, string action, Guid userId, string caller, string fields, string traceId);
}
