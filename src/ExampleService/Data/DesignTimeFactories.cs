using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExampleService.Data;

// Used by `dotnet ef migrations add` only: one migration set per provider, generated without a running database.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteUsersDbContext>
{
    public SqliteUsersDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteUsersDbContext>)DatabaseSetup
            .ConfigureSqlite(new DbContextOptionsBuilder<SqliteUsersDbContext>(), "Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresUsersDbContext>
{
    public PostgresUsersDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresUsersDbContext>)DatabaseSetup
            .ConfigurePostgres(new DbContextOptionsBuilder<PostgresUsersDbContext>(), "Host=localhost;Database=design_time").Options);
}
