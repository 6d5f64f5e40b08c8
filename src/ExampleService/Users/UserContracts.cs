namespace ExampleService.Users;

/// <summary>Body of POST and PUT, and the document a merge patch is applied to. Validated by <see cref="UserValidation"/>.</summary>
public sealed record UserRequest(
    string? Username,
    string? Email,
    string? DisplayName,
    string? GivenName = null,
    string? FamilyName = null,
    string? Department = null,
    string? Title = null,
    string? Phone = null,
    bool? Active = null)
{
    /// <summary>The request that would recreate <paramref name="user"/>: the document a merge patch applies to.</summary>
    public static UserRequest From(User user) => new(
        user.Username,
        user.Email,
        user.DisplayName,
        user.GivenName,
        user.FamilyName,
        user.Department,
        user.Title,
        user.Phone,
        user.Active);
}

/// <summary>A user as the API shows it.</summary>
public sealed record UserResponse(
    Guid Id,
    string Username,
    string Email,
    string DisplayName,
    string? GivenName,
    string? FamilyName,
    string? Department,
    string? Title,
    string? Phone,
    bool Active,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static UserResponse From(User user) => new(
        user.Id,
        user.Username,
        user.Email,
        user.DisplayName,
        user.GivenName,
        user.FamilyName,
        user.Department,
        user.Title,
        user.Phone,
        user.Active,
        new DateTimeOffset(user.CreatedAt, TimeSpan.Zero),
        new DateTimeOffset(user.UpdatedAt, TimeSpan.Zero));
}

/// <summary>One page of a user listing; the same figures are in the X-Total-Count and Link headers.</summary>
public sealed record UserPage(IReadOnlyList<UserResponse> Items, int Page, int PageSize, int TotalCount, int TotalPages);
