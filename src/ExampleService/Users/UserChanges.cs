namespace ExampleService.Users;

/// <summary>The names (as the API spells them) of the fields a write changes, for the audit record.</summary>
internal static class UserChanges
{
    /// <summary>Fields that differ between the stored state (null for a new user) and the state the request leaves.</summary>
    public static IReadOnlyCollection<string> Between(UserRequest? before, UserRequest request)
    {
        // What ApplyTo stores: an omitted "active" means active.
        var after = request with { Active = request.Active ?? true };
        var fields = new List<string>();
        void Compare<T>(string name, T? old, T? now)
        {
            if (before is null ? now is not null : !EqualityComparer<T>.Default.Equals(old, now))
            {
                fields.Add(name);
            }
        }

        Compare("username", before?.Username, after.Username);
        Compare("email", before?.Email, after.Email);
        Compare("displayName", before?.DisplayName, after.DisplayName);
        Compare("givenName", before?.GivenName, after.GivenName);
        Compare("familyName", before?.FamilyName, after.FamilyName);
        Compare("department", before?.Department, after.Department);
        Compare("title", before?.Title, after.Title);
        Compare("phone", before?.Phone, after.Phone);
        Compare("active", before?.Active, after.Active);
        return fields;
    }
}
