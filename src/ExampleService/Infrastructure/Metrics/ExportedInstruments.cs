using System.Diagnostics.Metrics;

namespace ExampleService.Infrastructure.Metrics;

/// <summary>
/// Which System.Diagnostics.Metrics instruments reach <c>/metrics</c>. Requests are measured once, by the
/// prometheus-net HTTP middleware (<c>http_request_duration_seconds</c>); an instrument recorded on every request or
/// database command (ASP.NET Core hosting, routing and rate limiting, Npgsql's command histogram) would measure it
/// again at a cost paid by every request. Observable instruments (the runtime, EF Core, Npgsql's pool) are read only
/// when Prometheus scrapes, so they are all exported; of the recorded ones only Kestrel's, which move per connection.
/// </summary>
internal static class ExportedInstruments
{
    public const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    public static bool Include(Instrument instrument) =>
        !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
        && (instrument.IsObservable || instrument.Meter.Name == KestrelMeter);
}
