namespace ExampleService.Infrastructure.Configuration;

/// <summary>Section <c>Database</c> (environment: <c>Database__Provider</c>, ...).</summary>
public sealed class DatabaseOptions : IValidatableSettings
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Required for PostgreSQL; for SQLite the default is a file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the SQLite file lives, relative to the content root unless absolute; created on first start.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations at start-up; unset means on for SQLite and off for PostgreSQL.</summary>
    public bool? MigrateOnStartup { get; set; }

    public DatabaseProvider ProviderKind =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var kind) ? kind : DatabaseProvider.Sqlite;

    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? ProviderKind == DatabaseProvider.Sqlite;

    private static bool IsConnectionString(string value)
    {
        try
        {
            _ = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = value };
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public IEnumerable<string> Validate()
    {
        if (!Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out _) || int.TryParse(Provider, out _))
        {
            yield return $"{Section}__{nameof(Provider)} must be 'Sqlite' or 'Postgres' (got '{Provider}').";
        }
        else if (ProviderKind == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{Section}__{nameof(ConnectionString)} is required when {Section}__{nameof(Provider)} is Postgres "
                + "(e.g. 'Host=db;Database=users;Username=app;Password=...').";
        }

        if (!string.IsNullOrWhiteSpace(ConnectionString) && !IsConnectionString(ConnectionString))
        {
            // Never the value: it holds a password.
            yield return $"{Section}__{nameof(ConnectionString)} is not a connection string: write keyword=value pairs separated by ';' "
                + "(e.g. 'Host=db;Database=users;Username=app;Password=...' or 'Data Source=/app/data/users.db').";
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            yield return $"{Section}__{nameof(DataDirectory)} must not be empty.";
        }
    }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
