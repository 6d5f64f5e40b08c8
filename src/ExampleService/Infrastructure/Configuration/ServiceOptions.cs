namespace ExampleService.Infrastructure.Configuration;

/// <summary>Section <c>Server</c>: request limits and shutdown.</summary>
public sealed class ServerOptions : IValidatableSettings
{
    public const string Section = "Server";

    /// <summary>Largest accepted request body; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long in-flight requests may finish after SIGTERM.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (MaxRequestBodyBytes is < 1024 or > 100 * 1024 * 1024)
        {
            yield return $"{Section}__{nameof(MaxRequestBodyBytes)} must be between 1024 and 104857600 (got {MaxRequestBodyBytes}).";
        }

        if (ShutdownTimeoutSeconds is < 0 or > 3600)
        {
            yield return $"{Section}__{nameof(ShutdownTimeoutSeconds)} must be between 0 and 3600 (got {ShutdownTimeoutSeconds}).";
        }
    }
}

/// <summary>Section <c>RateLimiting</c>: a fixed window per client address on the users API.</summary>
public sealed class RateLimitingOptions : IValidatableSettings
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    public int PermitLimit { get; set; } = 1000;

    public int WindowSeconds { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (PermitLimit < 1)
        {
            yield return $"{Section}__{nameof(PermitLimit)} must be at least 1 (got {PermitLimit}); set {Section}__{nameof(Enabled)}=false to turn limiting off.";
        }

        if (WindowSeconds is < 1 or > 3600)
        {
            yield return $"{Section}__{nameof(WindowSeconds)} must be between 1 and 3600 (got {WindowSeconds}).";
        }
    }
}

/// <summary>Section <c>Syslog</c>: RFC 5424 lines written to a file.</summary>
public sealed class SyslogOptions : IValidatableSettings
{
    public const string Section = "Syslog";

    /// <summary>File to append to; unset turns the syslog file off.</summary>
    public string? Path { get; set; }

    public string AppName { get; set; } = "example-service";

    /// <summary>Syslog facility number 0-23 (1 = user, 16-23 = local0-local7).</summary>
    public int Facility { get; set; } = 1;

    public IEnumerable<string> Validate()
    {
        if (Path is not null && string.IsNullOrWhiteSpace(Path))
        {
            yield return $"{Section}__{nameof(Path)} must not be blank (unset it to turn the syslog file off).";
        }

        if (AppName.Length is 0 or > 48 || AppName.Any(c => c is <= ' ' or > '~'))
        {
            yield return $"{Section}__{nameof(AppName)} must be 1-48 printable ASCII characters without spaces (got '{AppName}').";
        }

        if (Facility is < 0 or > 23)
        {
            yield return $"{Section}__{nameof(Facility)} must be between 0 and 23 (got {Facility}).";
        }
    }
}

/// <summary>
/// Section <c>Management</c>: the port of the operations endpoints (health probes, metrics). Unset, they share the
/// API's port; set, they answer only there, and the service must also listen on it (e.g. ASPNETCORE_HTTP_PORTS=8080;8081).
/// </summary>
public sealed class ManagementOptions : IValidatableSettings
{
    public const string Section = "Management";

    public int? Port { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535)
        {
            yield return $"{Section}__{nameof(Port)} must be between 1 and 65535 (got {Port}); unset it to serve health and metrics on the API's port.";
        }
    }
}

/// <summary>Section <c>ApiDocument</c>: the OpenAPI document and its reference page.</summary>
public sealed class ApiDocumentOptions : IValidatableSettings
{
    public const string Section = "ApiDocument";

    /// <summary>Serve /openapi/v1.json and /scalar; unset means only in the Development environment.</summary>
    public bool? Enabled { get; set; }

    public IEnumerable<string> Validate() => [];
}
