using System.Linq.Expressions;

namespace ExampleService.Users;

/// <summary>One key of the <c>sort</c> parameter, e.g. <c>-createdAt</c>.</summary>
public sealed record SortField(string Name, bool Descending);

/// <summary>The whitelisted sort keys and how they translate to the query.</summary>
public static class UserSorting
{
    private static readonly Dictionary<string, Func<IQueryable<User>, bool, bool, IOrderedQueryable<User>>> SortKeys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["username"] = By(u => u.UsernameNormalized),
            ["email"] = By(u => u.EmailNormalized),
            ["displayName"] = By(u => u.DisplayName),
            ["givenName"] = By(u => u.GivenName),
            ["familyName"] = By(u => u.FamilyName),
            ["department"] = By(u => u.Department),
            ["title"] = By(u => u.Title),
            ["active"] = By(u => u.Active),
            ["createdAt"] = By(u => u.CreatedAt),
            ["updatedAt"] = By(u => u.UpdatedAt),
        };

    public static IEnumerable<string> Allowed => SortKeys.Keys;

    public static bool TryParse(string? text, out IReadOnlyList<SortField> fields, out string error)
    {
        error = "";
        fields = [new SortField("username", false)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parsed = new List<SortField>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var descending = part.StartsWith('-');
            var name = descending || part.StartsWith('+') ? part[1..] : part;
            if (!SortKeys.ContainsKey(name))
            {
                error = $"unknown sort field '{name}'; allowed: {string.Join(", ", Allowed)} (prefix '-' for descending)";
                return false;
            }

            parsed.Add(new SortField(name, descending));
        }

        fields = parsed;
        return true;
    }

    /// <summary>Orders by the given keys, then by id so that pages are stable.</summary>
    public static IOrderedQueryable<User> Apply(IQueryable<User> users, IReadOnlyList<SortField> fields)
    {
        IOrderedQueryable<User>? ordered = null;
        foreach (var field in fields)
        {
            ordered = SortKeys[field.Name](ordered ?? users, field.Descending, ordered is not null);
        }

        return ordered is null ? users.OrderBy(u => u.Id) : ordered.ThenBy(u => u.Id);
    }

    private static Func<IQueryable<User>, bool, bool, IOrderedQueryable<User>> By<TKey>(Expression<Func<User, TKey>> key) =>
        (users, descending, then) => (then, descending) switch
        {
            (false, false) => users.OrderBy(key),
            (false, true) => users.OrderByDescending(key),
            (true, false) => ((IOrderedQueryable<User>)users).ThenBy(key),
            (true, true) => ((IOrderedQueryable<User>)users).ThenByDescending(key),
        };
}
