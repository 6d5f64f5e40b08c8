using ExampleService.Infrastructure.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ExampleService.Infrastructure.Security;

/// <summary>
/// Refusals as RFC 9457 problems with RFC 6750 challenges: 401 names the accepted credentials (error="invalid_token"
/// when one was sent, never why it failed), 403 names the missing scope.
/// </summary>
internal sealed class AccessProblems(IOptions<AccessOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private const string Realm = "example-service";
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = Challenges(context.Request);
            return context.WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", SentCredentials(context.Request)
                ? "The credentials were not accepted; get a new token or use a current API key."
                : $"This operation needs a bearer token in the Authorization header or an API key in the {ApiKeyAuthenticationHandler.HeaderName} header.");
        }

        if (authorizeResult.Forbidden)
        {
            var scope = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault()?.Scope ?? "";
            var scheme = context.User.Identity?.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName
                ? ApiKeyAuthenticationHandler.SchemeName
                : JwtBearerDefaults.AuthenticationScheme;
            context.Response.Headers.WWWAuthenticate = $"{scheme} realm=\"{Realm}\", error=\"insufficient_scope\", scope=\"{scope}\"";
            return context.WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", $"This operation needs the scope '{scope}'.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private StringValues Challenges(HttpRequest request)
    {
        var access = options.Value;
        var invalid = SentCredentials(request) ? ", error=\"invalid_token\"" : "";
        var challenges = new List<string>();
        if (access.UsesTokens)
        {
            challenges.Add($"{JwtBearerDefaults.AuthenticationScheme} realm=\"{Realm}\"{invalid}");
        }

        if (access.ApiKeys.Count > 0 || !access.UsesTokens)
        {
            challenges.Add($"{ApiKeyAuthenticationHandler.SchemeName} realm=\"{Realm}\", header=\"{ApiKeyAuthenticationHandler.HeaderName}\"{invalid}");
        }

        return new StringValues([.. challenges]);
    }

    private static bool SentCredentials(HttpRequest request) =>
        request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}
