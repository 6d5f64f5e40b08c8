using Prometheus;

namespace ExampleService.Infrastructure.Metrics;

/// <summary>
/// The metrics of one host, in a registry of its own rather than prometheus-net's static default: a process that
/// hosts several instances of the service (the tests do) must not let one instance's users gauge move another's.
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    private readonly IDisposable _meters;

    public ServiceMetrics()
    {
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        // The runtime, Kestrel, EF Core and Npgsql publish through System.Diagnostics.Metrics meters.
        _meters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory,
            InstrumentFilterPredicate = ExportedInstruments.Include,
        });
        Users = Factory.CreateGauge("example_service_users", "Number of users in the directory.");
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public IMetricFactory Factory { get; }

    /// <summary>
    /// Kept cheap: moved by creates and deletes, and recounted by <see cref="UsersGaugeRefresher"/> now and then to
    /// correct drift from other writers, never per scrape.
    /// </summary>
    public Gauge Users { get; }

    public void Dispose() => _meters.Dispose();
}

public static class ServiceMetricsSetup
{
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services)
    {
        // Everything is exported from ServiceMetrics.Registry; the default registry's listeners would only cost CPU.
        Prometheus.Metrics.SuppressDefaultMetrics();
        services.AddSingleton<ServiceMetrics>();
        services.AddHostedService<UsersGaugeRefresher>();
        return services;
    }
}
