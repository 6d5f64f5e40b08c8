using System.Globalization;
using System.Text;

namespace ExampleService.Infrastructure.Logging;

/// <summary>One log record as the formatter needs it.</summary>
public readonly record struct SyslogEntry(
    DateTimeOffset Timestamp,
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    Exception? Exception,
    string? TraceId,
    string? SpanId);

/// <summary>
/// RFC 5424 lines: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG</c>, one record per line
/// (line breaks inside the message are escaped so that a file stays one record per line).
/// </summary>
public sealed class SyslogFormatter(string appName, int facility, string hostName, int processId)
{
    /// <summary>Private enterprise number reserved for documentation (RFC 5612); our SD-IDs are name@32473.</summary>
    public const string EnterpriseId = "32473";

    private readonly string _header = $" {Field(hostName, 255)} {Field(appName, 48)} {processId.ToString(CultureInfo.InvariantCulture)} ";

    public string Format(in SyslogEntry entry)
    {
        var line = new StringBuilder(256);
        line.Append('<').Append((facility * 8) + Severity(entry.Level)).Append(">1 ")
            .Append(entry.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            .Append(_header)
            .Append(Field(entry.EventId.Name ?? (entry.EventId.Id == 0 ? null : entry.EventId.Id.ToString(CultureInfo.InvariantCulture)), 32))
            .Append(' ');
        line.Append("[log@").Append(EnterpriseId).Append(" category=\"");
        AppendParamValue(line, entry.Category);
        line.Append("\" level=\"").Append(entry.Level).Append("\"]");
        if (entry.TraceId is not null)
        {
            line.Append("[trace@").Append(EnterpriseId).Append(" traceId=\"").Append(entry.TraceId)
                .Append("\" spanId=\"").Append(entry.SpanId).Append("\"]");
        }

        line.Append(' ');
        AppendMessage(line, entry.Message);
        if (entry.Exception is not null)
        {
            line.Append(" | ");
            AppendMessage(line, entry.Exception.ToString());
        }

        return line.ToString();
    }

    /// <summary>RFC 5424 severity: 2 critical, 3 error, 4 warning, 6 informational, 7 debug.</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    // Header fields are 1..max printable US-ASCII characters without spaces, or "-" (NILVALUE).
    private static string Field(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var chars = value.Where(c => c is > ' ' and <= '~').Take(maxLength).ToArray();
        return chars.Length == 0 ? "-" : new string(chars);
    }

    private static void AppendParamValue(StringBuilder line, string value)
    {
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }

    private static void AppendMessage(StringBuilder line, string message)
    {
        foreach (var c in message)
        {
            _ = c switch
            {
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                _ => line.Append(c),
            };
        }
    }
}
