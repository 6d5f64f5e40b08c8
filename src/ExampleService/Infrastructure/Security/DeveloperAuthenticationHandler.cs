using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Security;

/// <summary>Developer mode (Development environment only, see <see cref="AccessOptions.DeveloperMode"/>): everyone is the developer.</summary>
internal sealed class DeveloperAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AccessOptions> access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Developer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        Claim[] claims =
        [
            new(CallerClaims.Subject, "developer"),
            new(CallerClaims.Scope, $"{access.Value.ReadScope} {access.Value.WriteScope}"),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, CallerClaims.Subject, null));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
