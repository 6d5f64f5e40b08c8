using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExampleService.Data;

/// <summary>Recognises a violated unique index on either provider and says which API field it guards.</summary>
public static class UniqueViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    public static string? FieldOf(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => FieldFrom(pg.ConstraintName),
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique } sqlite => FieldFrom(sqlite.Message),
        _ => null,
    };

    private static string? FieldFrom(string? text) => text switch
    {
        null => null,
        _ when text.Contains("username_normalized", StringComparison.Ordinal) => "username",
        _ when text.Contains("email_normalized", StringComparison.Ordinal) => "email",
        _ => "id",
    };
}
