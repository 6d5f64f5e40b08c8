using System.Diagnostics.Metrics;
using ExampleService.Infrastructure.Metrics;

namespace ExampleService.Tests.Operations;

/// <summary>Which .NET instruments reach /metrics: none that is recorded on every request or database command.</summary>
public sealed class ExportedInstrumentsTests
{
    [Fact]
    public void Observable_instruments_are_exported_whatever_their_meter()
    {
        using var npgsql = new Meter("Npgsql");

        Assert.True(ExportedInstruments.Include(npgsql.CreateObservableGauge("db.client.connections.usage", () => 1)));
    }

    [Fact]
    public void Recorded_instruments_are_exported_only_from_kestrel()
    {
        using var kestrel = new Meter(ExportedInstruments.KestrelMeter);
        using var hosting = new Meter("Microsoft.AspNetCore.Hosting");
        using var npgsql = new Meter("Npgsql");

        Assert.True(ExportedInstruments.Include(kestrel.CreateUpDownCounter<long>("kestrel.active_connections")));
        Assert.False(ExportedInstruments.Include(hosting.CreateHistogram<double>("http.server.request.duration")));
        Assert.False(ExportedInstruments.Include(npgsql.CreateHistogram<double>("db.client.operation.duration")));
    }

    [Fact]
    public void Private_meters_are_never_exported()
    {
        using var meter = new Meter("Private.InternalDiagnostics");

        Assert.False(ExportedInstruments.Include(meter.CreateObservableGauge("anything", () => 1)));
    }
}
