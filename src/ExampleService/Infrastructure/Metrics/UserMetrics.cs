using ExampleService.Data;
using Microsoft.EntityFrameworkCore;
using Prometheus;

namespace ExampleService.Infrastructure.Metrics;

/// <summary>
/// The users gauge. Kept cheap: moved by creates and deletes, and recounted now and then (at start and every
/// <see cref="RefreshInterval"/>) to correct drift from other writers, never per scrape.
/// </summary>
public static class UserMetrics
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    public static readonly Gauge Users = Prometheus.Metrics.CreateGauge(
        "example_service_users", "Number of users in the directory.");
}

internal sealed partial class UsersGaugeRefresher(IServiceScopeFactory scopes, ILogger<UsersGaugeRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(UserMetrics.RefreshInterval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
                UserMetrics.Users.Set(await db.Users.CountAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not migrated yet or the database is down: readiness reports that; try again next round.
                LogRefreshFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 10, EventName = "UsersGaugeRefreshFailed", Level = LogLevel.Debug,
        Message = "Could not count users for the gauge: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
