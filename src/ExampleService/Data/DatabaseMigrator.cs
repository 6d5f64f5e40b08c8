using ExampleService.Infrastructure.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExampleService.Data;

/// <summary>Applies the configured provider's migrations: by the <c>migrate</c> command and, when configured, at start-up.</summary>
public static partial class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (db is SqliteUsersDbContext)
        {
            // Write-ahead logging lets readers run while a write is in progress; the setting sticks to the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        var provider = db.Database.ProviderName ?? "?";
        var applied = string.Join(", ", pending);
        LogMigrated(logger, pending.Count, provider, applied);
    }

    public static Task MigrateOnStartupIfConfiguredAsync(this WebApplication app) =>
        app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ShouldMigrateOnStartup
            ? MigrateAsync(app.Services, app.Lifetime.ApplicationStopping)
            : Task.CompletedTask;

    [LoggerMessage(EventId = 1, EventName = "DatabaseMigrated", Level = LogLevel.Information,
        Message = "Database migrated: applied {Count} migration(s) on {Provider} [{Migrations}]")]
    private static partial void LogMigrated(ILogger logger, int count, string provider, string migrations);
}
