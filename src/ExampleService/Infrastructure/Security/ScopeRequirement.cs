using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace ExampleService.Infrastructure.Security;

/// <summary>The caller holds <see cref="Scope"/>: in the space-separated scope or scp claim, or as a role.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (Holds(context.User, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    // Issuers differ: OAuth's "scope" (one string), Entra ID's "scp", Keycloak and Entra app roles in "roles".
    private static bool Holds(ClaimsPrincipal user, string scope) => user.Claims
        .Where(c => c.Type is CallerClaims.Scope or "scp" or "roles" or "role")
        .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Contains(scope, StringComparer.Ordinal);
}
