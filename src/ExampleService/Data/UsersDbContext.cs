using ExampleService.Users;
using Microsoft.EntityFrameworkCore;

namespace ExampleService.Data;

/// <summary>
/// The user directory's database. One subclass per provider, so that each provider keeps its own migrations
/// (they differ in column types) in the same assembly.
/// </summary>
public abstract class UsersDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new UserConfiguration());
}

/// <summary>The SQLite flavour (default: an embedded file).</summary>
public sealed class SqliteUsersDbContext(DbContextOptions<SqliteUsersDbContext> options) : UsersDbContext(options);

/// <summary>The PostgreSQL flavour.</summary>
public sealed class PostgresUsersDbContext(DbContextOptions<PostgresUsersDbContext> options) : UsersDbContext(options);
