using System.Text.Json;
using System.Text.Json.Nodes;
using ExampleService.Data;
using ExampleService.Infrastructure.Audit;
using ExampleService.Infrastructure.Http;
using ExampleService.Infrastructure.Metrics;
using ExampleService.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ExampleService.Users;

/// <summary>The users API: <c>/api/v1/users</c>.</summary>
public static class UserEndpoints
{
    public const string Prefix = "/api/v1/users";

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix)
            .WithTags("Users")
            .RequireRateLimiting(RateLimitingSetup.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapGet("/", List).WithName("ListUsers").RequireAuthorization(AccessSetup.ReadUsers)
            .WithSummary("Lists users, a page at a time, filtered and sorted.")
            .WithDescription("page: from 1 (default 1); pageSize: 1-100 (default 20); department: exact, ignoring case; "
                + "active: true or false; q: text searched in username, email and names, ignoring case; "
                + "sort: comma-separated keys, '-' for descending (e.g. username,-createdAt), keys: "
                + "username, email, displayName, givenName, familyName, department, title, active, createdAt, updatedAt. "
                + "The total count is in X-Total-Count and the body; first/prev/next/last links in the Link header (RFC 8288).")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", Get).WithName("GetUser").RequireAuthorization(AccessSetup.ReadUsers)
            .WithSummary("Gets one user; answers 304 when If-None-Match holds its ETag.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).WithName("CreateUser").RequireAuthorization(AccessSetup.WriteUsers)
            .WithSummary("Creates a user.")
            .ProducesWriteProblems();
        group.MapPut("/{id:guid}", Replace).WithName("ReplaceUser").RequireAuthorization(AccessSetup.WriteUsers)
            .WithSummary("Replaces a user; honours If-Match.")
            .ProducesWriteProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPatch("/{id:guid}", Patch).WithName("PatchUser").RequireAuthorization(AccessSetup.WriteUsers)
            .WithSummary("Changes some fields of a user with a JSON Merge Patch (RFC 7396); null removes an optional field.")
            .Accepts<UserRequest>(JsonMergePatch.MediaType)
            .ProducesWriteProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteUser").RequireAuthorization(AccessSetup.WriteUsers)
            .WithSummary("Deletes a user; honours If-Match.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return group;
    }

    private static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder route) => route
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<Ok<UserPage>, ValidationProblem>> List(
        [AsParameters] UserListQuery query, UsersDbContext db, HttpContext http, CancellationToken ct)
    {
        var criteria = query.Parse(out var errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var filtered = criteria.Filter(db.Users.AsNoTracking());
        var total = await filtered.CountAsync(ct);
        var users = await UserSorting.Apply(filtered, criteria.Sort)
            .Skip((criteria.Page - 1) * criteria.PageSize)
            .Take(criteria.PageSize)
            .ToListAsync(ct);
        var totalPages = (total + criteria.PageSize - 1) / criteria.PageSize;
        PagingLinks.Write(http, criteria.Page, totalPages, total);
        return TypedResults.Ok(new UserPage(users.ConvertAll(UserResponse.From), criteria.Page, criteria.PageSize, total, totalPages));
    }

    private static async Task<Results<Ok<UserResponse>, StatusCodeHttpResult, ProblemHttpResult>> Get(
        Guid id, UsersDbContext db, HttpContext http, CancellationToken ct)
    {
        var user = await UserQueries.FindReadOnly(db, id, ct);
        if (user is null)
        {
            return UserProblems.NotFound(id);
        }

        http.Response.Headers.ETag = ETags.From(user.Version);
        return ETags.IfNoneMatchHits(http.Request, user.Version)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> Create(
        UserRequest request, UsersDbContext db, TimeProvider clock, ServiceMetrics metrics, AuditLog audit, HttpContext http,
        CancellationToken ct)
    {
        var errors = UserValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = UserWrites.Now(clock);
        var user = new User { Id = Guid.CreateVersion7(), CreatedAt = now };
        request.ApplyTo(user, now);
        db.Users.Add(user);
        if (await db.TrySaveAsync(http.Request, ct) is { } problem)
        {
            return problem;
        }

        metrics.Users.Inc();
        audit.Record(http, "create", user.Id, UserChanges.Between(null, request));
        http.Response.Headers.ETag = ETags.From(user.Version);
        return TypedResults.Created($"{Prefix}/{user.Id}", UserResponse.From(user));
    }

    private static Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Replace(
        Guid id, UserRequest request, UsersDbContext db, TimeProvider clock, AuditLog audit, HttpContext http, CancellationToken ct) =>
        UpdateAsync(id, _ => request, db, clock, audit, http, ct);

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        Guid id, UsersDbContext db, TimeProvider clock, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(JsonMergePatch.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return UserProblems.UnsupportedPatchType(http.Request.ContentType);
        }

        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return UserProblems.MalformedPatch($"The body is not valid JSON: {ex.Message}");
        }

        if (patch is not JsonObject)
        {
            return UserProblems.MalformedPatch("A merge patch for a user must be a JSON object.");
        }

        return await UpdateAsync(id, user => Merge(user, patch), db, clock, audit, http, ct);
    }

    /// <summary>The user with the patch applied, or null when the patch gives a field a value of the wrong JSON type.</summary>
    private static UserRequest? Merge(User user, JsonNode patch)
    {
        var current = JsonSerializer.SerializeToNode(UserRequest.From(user), AppJsonContext.Default.UserRequest);
        try
        {
            return JsonMergePatch.Apply(current, patch).Deserialize(AppJsonContext.Default.UserRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Load, check If-Match, build the new state from the current one, validate, save.</summary>
    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id,
        Func<User, UserRequest?> change,
        UsersDbContext db,
        TimeProvider clock,
        AuditLog audit,
        HttpContext http,
        CancellationToken ct)
    {
        var user = await UserQueries.FindForUpdate(db, id, ct);
        if (user is null)
        {
            return UserProblems.NotFound(id);
        }

        if (!ETags.IfMatchAllows(http.Request, user.Version))
        {
            return UserProblems.PreconditionFailed();
        }

        var request = change(user);
        if (request is null)
        {
            return UserProblems.MalformedPatch("The patch gives a field a value of the wrong JSON type (strings, or true/false for active).");
        }

        var errors = UserValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var before = UserRequest.From(user);
        request.ApplyTo(user, UserWrites.Now(clock));
        if (await db.TrySaveAsync(http.Request, ct) is { } problem)
        {
            return problem;
        }

        audit.Record(http, "update", user.Id, UserChanges.Between(before, request));

        http.Response.Headers.ETag = ETags.From(user.Version);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid id, UsersDbContext db, ServiceMetrics metrics, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var user = await UserQueries.FindForUpdate(db, id, ct);
        if (user is null)
        {
            return UserProblems.NotFound(id);
        }

        if (!ETags.IfMatchAllows(http.Request, user.Version))
        {
            return UserProblems.PreconditionFailed();
        }

        db.Users.Remove(user);
        if (await db.TrySaveAsync(http.Request, ct) is { } problem)
        {
            return problem;
        }

        metrics.Users.Dec();
        audit.Record(http, "delete", user.Id, []);
        return TypedResults.NoContent();
    }
}
