using ExampleService.Data;
using ExampleService.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExampleService.Users;

/// <summary>
/// Applying a checked request to a user and saving it. Each save is one statement in one transaction, and the
/// database decides conflicts: its unique indexes (409) and the version column (412), so races cannot slip through.
/// </summary>
internal static class UserWrites
{
    public static void ApplyTo(this UserRequest request, User user, DateTime now)
    {
        user.SetUsername(request.Username!);
        user.SetEmail(request.Email!);
        user.DisplayName = request.DisplayName!;
        user.GivenName = request.GivenName;
        user.FamilyName = request.FamilyName;
        user.Department = request.Department;
        user.Title = request.Title;
        user.Phone = request.Phone;
        user.Active = request.Active ?? true;
        user.Version = Guid.NewGuid();
        user.UpdatedAt = now;
    }

    /// <summary>Now, cut to microseconds: the finest both providers store, so a re-read returns the same value.</summary>
    public static DateTime Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>Saves; returns null on success or the problem that explains why the database refused.</summary>
    public static async Task<ProblemHttpResult?> TrySaveAsync(this UsersDbContext db, HttpRequest request, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ETags.HasIfMatch(request)
                ? UserProblems.PreconditionFailed()
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Concurrent modification",
                    detail: "The user was changed or deleted by another request meanwhile; read it again and retry.");
        }
        catch (DbUpdateException ex) when (UniqueViolation.FieldOf(ex) is { } field)
        {
            // The value stays out: it is personal data, and the caller sent it anyway.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Duplicate user",
                detail: $"Another user already has this {field}; {field}s are unique, ignoring case.",
                extensions: new Dictionary<string, object?> { ["field"] = field });
        }
    }
}
