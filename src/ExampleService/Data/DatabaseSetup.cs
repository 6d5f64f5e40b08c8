using System.Data.Common;
using ExampleService.Infrastructure.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ExampleService.Data;

/// <summary>Registers the provider chosen by <see cref="DatabaseOptions"/> behind <see cref="UsersDbContext"/>.</summary>
public static class DatabaseSetup
{
    public const string SqliteFileName = "example-service.db";

    public static IServiceCollection AddUsersDatabase(this IServiceCollection services)
    {
        services.AddSettings<DatabaseOptions>(DatabaseOptions.Section);
        // Both pools are registered; only the configured one is ever created (pools are built on first use).
        services.AddDbContextPool<SqliteUsersDbContext>((sp, options) =>
            ConfigureSqlite(options, SqliteConnectionString(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp)));
        services.AddDbContextPool<PostgresUsersDbContext>((sp, options) =>
            ConfigurePostgres(options, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!));
        services.AddScoped<UsersDbContext>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ProviderKind == DatabaseProvider.Postgres
                ? sp.GetRequiredService<PostgresUsersDbContext>()
                : sp.GetRequiredService<SqliteUsersDbContext>());
        return services;
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        Quiet(options.UseSqlite(connectionString));

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        Quiet(options.UseNpgsql(WithPostgresDefaults(connectionString)));

    /// <summary>
    /// Fills in what the operator's connection string leaves out: statements prepared on the server after two uses
    /// (no parse and plan per request); no session reset each time a connection goes back to the pool (a round of
    /// work for the server per request; the service never changes session state); and no GSS (Kerberos) encryption
    /// probe on every new connection, which needs libgssapi_krb5: the service's images do not carry it, and Npgsql
    /// then prints "Cannot load library libgssapi_krb5.so.2" on every start. With Kerberos, set
    /// <c>GSS Encryption Mode=Prefer</c> (or <c>Require</c>) on a base image that has it.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        bool Unset(string keyword) => !given.ContainsKey(keyword) && !given.ContainsKey(keyword.Replace(" ", "", StringComparison.Ordinal));

        if (Unset("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        if (Unset("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (Unset("GSS Encryption Mode"))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Creates a file-based SQLite database on first start: its data directory and, unless the connection string
    /// forbids creating it, the (empty) database file. Without the file, EF Core reports the database as unreachable
    /// rather than unmigrated, and which of the two a fresh start reported depended on whether some query had
    /// already opened a connection (and so created the file).
    /// </summary>
    internal static string SqliteConnectionString(DatabaseOptions options, IServiceProvider services)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrEmpty(options.ConnectionString))
        {
            var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
            builder.DataSource = Path.Combine(Path.GetFullPath(options.DataDirectory, root), SqliteFileName);
        }

        var isFile = builder.Mode != SqliteOpenMode.Memory && builder.DataSource is not ("" or ":memory:");
        if (isFile)
        {
            CreateFile(Path.GetFullPath(builder.DataSource), builder.Mode);
        }

        return builder.ToString();
    }

    private static void CreateFile(string file, SqliteOpenMode mode)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (mode == SqliteOpenMode.ReadWriteCreate && !File.Exists(file))
            {
                // An empty file is an empty SQLite database. OpenOrCreate never truncates one that another process
                // created in the meantime.
                new FileStream(file, FileMode.OpenOrCreate, FileAccess.Write).Dispose();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailureException(
                $"The SQLite database '{file}' cannot be created ({ex.Message.Split(':')[0].Trim()}): mount a writable volume on "
                + $"{Path.GetDirectoryName(file)} (docker run -v example-service-data:/app/data ...) or set {DatabaseOptions.Section}__{nameof(DatabaseOptions.DataDirectory)} to a writable directory.");
        }
    }

    // A unique-index violation or a lost concurrency race is an expected 409/412 answer, not an error to log.
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug)));
}
