using System.Diagnostics;
using ExampleService.Data;
using Microsoft.EntityFrameworkCore;

namespace ExampleService.Users;

/// <summary>Compiled queries for the hot paths (no expression-tree translation per request).</summary>
internal static class UserQueries
{
    public static Task<User?> FindReadOnly(UsersDbContext db, Guid id, CancellationToken ct) => db switch
    {
        PostgresUsersDbContext postgres => For<PostgresUsersDbContext>.ReadOnly(postgres, id, ct),
        SqliteUsersDbContext sqlite => For<SqliteUsersDbContext>.ReadOnly(sqlite, id, ct),
        _ => throw new UnreachableException($"Unknown context {db.GetType()}"),
    };

    public static Task<User?> FindForUpdate(UsersDbContext db, Guid id, CancellationToken ct) => db switch
    {
        PostgresUsersDbContext postgres => For<PostgresUsersDbContext>.Tracked(postgres, id, ct),
        SqliteUsersDbContext sqlite => For<SqliteUsersDbContext>.Tracked(sqlite, id, ct),
        _ => throw new UnreachableException($"Unknown context {db.GetType()}"),
    };

    // One compiled query per provider: a compiled query is bound to the model of the context type it first ran with,
    // so sharing one between the SQLite and PostgreSQL contexts (as the tests do in one process) breaks it.
    private static class For<TContext>
        where TContext : UsersDbContext
    {
        public static readonly Func<TContext, Guid, CancellationToken, Task<User?>> ReadOnly =
            EF.CompileAsyncQuery((TContext db, Guid id, CancellationToken ct) => db.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

        public static readonly Func<TContext, Guid, CancellationToken, Task<User?>> Tracked =
            EF.CompileAsyncQuery((TContext db, Guid id, CancellationToken ct) => db.Users.FirstOrDefault(u => u.Id == id));
    }
}
