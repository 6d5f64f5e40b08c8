using Microsoft.AspNetCore.Http.HttpResults;

namespace ExampleService.Users;

/// <summary>The problem answers the users API gives, worded once.</summary>
internal static class UserProblems
{
    public static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "User not found",
        detail: $"There is no user with id '{id}'.");

    public static ProblemHttpResult PreconditionFailed() => TypedResults.Problem(
        statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Precondition failed",
        detail: "The user has changed since the ETag in If-Match was issued; GET it again and retry with the new ETag.");

    public static ProblemHttpResult UnsupportedPatchType(string? contentType) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: $"PATCH takes a JSON Merge Patch (Content-Type: {JsonMergePatch.MediaType}), not '{contentType}'.");

    public static ProblemHttpResult MalformedPatch(string reason) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed merge patch",
        detail: reason);
}
