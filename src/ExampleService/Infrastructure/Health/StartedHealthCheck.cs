using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExampleService.Infrastructure.Health;

/// <summary>Healthy once the host has finished starting (start-up migrations included).</summary>
internal sealed class StartedHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("Started.")
            : HealthCheckResult.Unhealthy("Still starting."));
}
