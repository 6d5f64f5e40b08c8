using ExampleService.Infrastructure.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExampleService.Data;

/// <summary>Applies the configured provider's migrations: by the <c>migrate</c> command and, when configured, at start-up.</summary>
public static partial class DatabaseMigrator
{
    /// <summary>
    /// EF Core shares its internal services, and the design-time model it checks for pending model changes, between
    /// every host of a process that uses the same provider; two migrations at once can read that model before the other
    /// finished initialising it ("The model must be finalized…"). A service migrates once per process, but tests start
    /// many hosts in parallel, so migrations here take turns.
    /// </summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            await MigrateInTurnAsync(services, cancellationToken);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static async Task MigrateInTurnAsync(IServiceProvider services, CancellationToken cancellationToken)
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
