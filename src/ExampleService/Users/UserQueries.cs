using ExampleService.Data;
using Microsoft.EntityFrameworkCore;

namespace ExampleService.Users;

/// <summary>Compiled queries for the hot paths (no expression-tree translation per request).</summary>
internal static class UserQueries
{
    public static readonly Func<UsersDbContext, Guid, CancellationToken, Task<User?>> FindReadOnly =
        EF.CompileAsyncQuery((UsersDbContext db, Guid id, CancellationToken ct) =>
            db.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

    public static readonly Func<UsersDbContext, Guid, CancellationToken, Task<User?>> FindForUpdate =
        EF.CompileAsyncQuery((UsersDbContext db, Guid id, CancellationToken ct) =>
            db.Users.FirstOrDefault(u => u.Id == id));
}
