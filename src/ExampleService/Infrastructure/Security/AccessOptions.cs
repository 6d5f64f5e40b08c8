using System.Globalization;

namespace ExampleService.Infrastructure.Security;

/// <summary>
/// Section <c>Authentication</c>: who may read and write users. Bearer tokens from an OpenID Connect issuer, API keys
/// for machine clients (stored as SHA-256 hashes only), or, in the Development environment only, developer mode.
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "Authentication";

    /// <summary>Lets every request in as the developer with both scopes; refused outside the Development environment.</summary>
    public bool DeveloperMode { get; set; }

    /// <summary>The OpenID Connect issuer; its metadata document gives the issuer name and the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the aud claim).</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the issuer's metadata must come over HTTPS; only a test issuer on loopback turns it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Scope (or role) that allows reading users.</summary>
    public string ReadScope { get; set; } = "users.read";

    /// <summary>Scope (or role) that allows creating, changing and deleting users.</summary>
    public string WriteScope { get; set; } = "users.write";

    /// <summary>Accepted API keys; several at once, so a key is rotated by adding the new one before removing the old.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>A JSON file with more keys (<c>{"Authentication":{"ApiKeys":[...]}}</c>), e.g. a mounted Secret.</summary>
    public string? ApiKeysFile { get; set; }

    public bool UsesTokens => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<string> Validate(bool isDevelopment, string environmentName)
    {
        if (DeveloperMode)
        {
            if (!isDevelopment)
            {
                yield return $"{Section}__{nameof(DeveloperMode)}=true is refused in the '{environmentName}' environment: it lets anyone "
                    + $"read and write users. Configure {Section}__{nameof(Authority)} or {Section}__{nameof(ApiKeys)} instead "
                    + "(developer mode needs ASPNETCORE_ENVIRONMENT=Development).";
            }

            yield break;
        }

        if (!UsesTokens && ApiKeys.Count == 0)
        {
            yield return $"Authentication is not configured: set {Section}__{nameof(Authority)} and {Section}__{nameof(Audience)} "
                + $"(an OpenID Connect issuer), or {Section}__{nameof(ApiKeys)}__0__Id, __Sha256 and __Scopes (or {Section}__{nameof(ApiKeysFile)}). "
                + $"For local development only: ASPNETCORE_ENVIRONMENT=Development {Section}__{nameof(DeveloperMode)}=true.";
        }

        foreach (var error in ValidateIssuer())
        {
            yield return error;
        }

        string[] scopes = [ReadScope, WriteScope];
        if (Array.Exists(scopes, string.IsNullOrWhiteSpace) || Array.Exists(scopes, s => s.Contains(' ', StringComparison.Ordinal)) || ReadScope == WriteScope)
        {
            yield return $"{Section}__{nameof(ReadScope)} and {Section}__{nameof(WriteScope)} must be two different words without spaces "
                + $"(got '{ReadScope}' and '{WriteScope}').";
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            foreach (var error in ApiKeys[i].Validate($"{Section}__{nameof(ApiKeys)}__{i.ToString(CultureInfo.InvariantCulture)}", scopes))
            {
                yield return error;
            }
        }

        foreach (var id in ApiKeys.GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return $"{Section}__{nameof(ApiKeys)}: the id '{id}' is used by more than one key; give each key its own id.";
        }
    }

    private IEnumerable<string> ValidateIssuer()
    {
        if (!UsesTokens)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            yield return $"{Section}__{nameof(Authority)} must be the issuer's absolute URL, e.g. https://login.example.com/realms/users (got '{Authority}').";
        }
        else if (authority.Scheme == "http" && RequireHttpsMetadata)
        {
            yield return $"{Section}__{nameof(Authority)} must use https (got '{Authority}'); "
                + $"only a test issuer may use http, with {Section}__{nameof(RequireHttpsMetadata)}=false.";
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return $"{Section}__{nameof(Audience)} is required with {Section}__{nameof(Authority)}: the aud value the issuer puts in tokens for this API.";
        }
    }
}

/// <summary>One API key: its public id, the SHA-256 of the secret (hex), and the scopes it grants (space-separated).</summary>
public sealed class ApiKeyEntry
{
    public string Id { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string Scopes { get; set; } = "";

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    internal IEnumerable<string> Validate(string prefix, IReadOnlyCollection<string> knownScopes)
    {
        if (string.IsNullOrWhiteSpace(Id) || Id.Any(c => c is <= ' ' or > '~'))
        {
            yield return $"{prefix}__{nameof(Id)} must be a name of printable ASCII characters without spaces (got '{Id}').";
        }

        if (Sha256.Length != 64 || !Sha256.All(Uri.IsHexDigit))
        {
            // The value is a hash, never the key, so naming its length is safe.
            yield return $"{prefix}__{nameof(Sha256)} must be the 64 hex digits of the key's SHA-256 (got {Sha256.Length} characters); "
                + "compute it with: printf %s \"$KEY\" | sha256sum";
        }

        if (ScopeList.Count == 0 || ScopeList.Any(s => !knownScopes.Contains(s)))
        {
            yield return $"{prefix}__{nameof(Scopes)} must list, separated by spaces, one or both of: {string.Join(", ", knownScopes)} (got '{Scopes}').";
        }
    }
}
