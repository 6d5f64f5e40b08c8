using ExampleService.Data;
using Microsoft.EntityFrameworkCore;

namespace ExampleService.Infrastructure.Metrics;

/// <summary>Recounts the users gauge at start and every <see cref="RefreshInterval"/>.</summary>
internal sealed partial class UsersGaugeRefresher(
    IServiceScopeFactory scopes, ServiceMetrics metrics, ILogger<UsersGaugeRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
                metrics.Users.Set(await db.Users.CountAsync(stoppingToken));
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
