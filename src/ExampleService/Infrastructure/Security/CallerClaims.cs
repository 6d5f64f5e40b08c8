using System.Security.Claims;

namespace ExampleService.Infrastructure.Security;

/// <summary>The claims the service reads, and the one name it gives a caller in audit records and rate limits.</summary>
public static class CallerClaims
{
    public const string Subject = "sub";
    public const string Scope = "scope";
    public const string KeyId = "key_id";

    /// <summary>The token's subject, <c>key:&lt;id&gt;</c> for an API key, or null for an anonymous request.</summary>
    public static string? CallerId(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return user.FindFirst(KeyId)?.Value is { } keyId ? $"key:{keyId}" : user.FindFirst(Subject)?.Value ?? "unknown-subject";
    }
}
