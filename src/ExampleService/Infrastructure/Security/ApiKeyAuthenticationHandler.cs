using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Security;

/// <summary>
/// An API key in the X-Api-Key header. Every refusal carries the same words, so the answer and the log never tell an
/// unknown key from a revoked one or a mistyped one.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(presented.ToString()) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key was not accepted."));
        }

        Claim[] claims = [new(CallerClaims.KeyId, key.Id), new(CallerClaims.Scope, key.Scopes)];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, CallerClaims.KeyId, null));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
