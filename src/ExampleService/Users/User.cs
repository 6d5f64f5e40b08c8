namespace ExampleService.Users;

/// <summary>A person in the directory, as stored.</summary>
public sealed class User
{
    public Guid Id { get; init; }

    public string Username { get; private set; } = "";

    /// <summary>Lower-case username: the unique index on it makes uniqueness case-insensitive on every provider.</summary>
    public string UsernameNormalized { get; private set; } = "";

    public string Email { get; private set; } = "";

    public string EmailNormalized { get; private set; } = "";

    public string DisplayName { get; set; } = "";

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public string? Department { get; set; }

    public string? Title { get; set; }

    public string? Phone { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>Concurrency token: replaced on every write, the database rejects writes made against an old one.</summary>
    public Guid Version { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public void SetUsername(string username)
    {
        Username = username;
        UsernameNormalized = username.ToLowerInvariant();
    }

    public void SetEmail(string email)
    {
        Email = email;
        EmailNormalized = email.ToLowerInvariant();
    }
}
