using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace ExampleService.Users;

/// <summary>Query string of GET /api/v1/users, taken as text so that bad values get field-level errors.</summary>
/// <remarks>
/// Properties rather than a positional record: the request delegate generator (on when the trimmed image is
/// published) emits <c>typeof(string?)</c> for a constructor's nullable parameters, which does not compile (CS8639).
/// </remarks>
public sealed record UserListQuery
{
    [FromQuery(Name = "page")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }

    [FromQuery(Name = "department")]
    public string? Department { get; init; }

    [FromQuery(Name = "active")]
    public string? Active { get; init; }

    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 1_000_000;

    /// <summary>Checks and converts the query; <paramref name="errors"/> is empty when the returned criteria are usable.</summary>
    public UserListCriteria Parse(out Dictionary<string, string[]> errors)
    {
        errors = [];
        var page = ParseInt(errors, "page", Page, 1, 1, MaxPage);
        var pageSize = ParseInt(errors, "pageSize", PageSize, DefaultPageSize, 1, MaxPageSize);
        bool? active = null;
        if (Active is not null)
        {
            if (bool.TryParse(Active, out var value))
            {
                active = value;
            }
            else
            {
                errors["active"] = ["must be true or false"];
            }
        }

        if (!UserSorting.TryParse(Sort, out var sort, out var sortError))
        {
            errors["sort"] = [sortError];
        }

        return new UserListCriteria(
            page,
            pageSize,
            string.IsNullOrWhiteSpace(Department) ? null : Department.Trim(),
            active,
            string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
            sort);
    }

    private static int ParseInt(Dictionary<string, string[]> errors, string name, string? text, int fallback, int min, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"must be a whole number from {min} to {max}"];
        return fallback;
    }
}

/// <summary>A checked listing request.</summary>
public sealed record UserListCriteria(int Page, int PageSize, string? Department, bool? Active, string? Q, IReadOnlyList<SortField> Sort)
{
    // EF Core translates ToLower() and Contains(string) to SQL; the StringComparison overloads CA1862 suggests are not.
#pragma warning disable CA1862
    public IQueryable<User> Filter(IQueryable<User> users)
    {
        if (Department is not null)
        {
            var department = Department.ToLowerInvariant();
            users = users.Where(u => u.Department != null && u.Department.ToLower() == department);
        }

        if (Active is { } active)
        {
            users = users.Where(u => u.Active == active);
        }

        if (Q is not null)
        {
            var q = Q.ToLowerInvariant();
            users = users.Where(u =>
                u.UsernameNormalized.Contains(q)
                || u.EmailNormalized.Contains(q)
                || u.DisplayName.ToLower().Contains(q)
                || (u.GivenName != null && u.GivenName.ToLower().Contains(q))
                || (u.FamilyName != null && u.FamilyName.ToLower().Contains(q)));
        }

        return users;
    }
#pragma warning restore CA1862
}
