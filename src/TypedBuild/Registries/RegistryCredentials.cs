namespace TypedBuild.Registries;

/// <summary>
/// Credentials for a registry; empty means anonymous. <paramref name="Source"/> names where they are set (parameters,
/// environment variables), so that a refused login says what to fix.
/// </summary>
public sealed record RegistryCredentials(string? Username, string? Password, string Source = "the registry credentials")
{
    public static RegistryCredentials Anonymous { get; } = new(null, null);

    public bool IsAnonymous => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password);

    /// <summary>The user name only: a record's generated ToString would print the password into a log.</summary>
    public override string ToString() => IsAnonymous ? "anonymous" : $"user {Username}";
}
