using ExampleService.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Security;

/// <summary>
/// Authentication (bearer token, API key or developer mode, chosen per request) and the two policies of the users
/// API. Refusals are RFC 9457 problems with RFC 6750 challenges (<see cref="AccessProblems"/>).
/// </summary>
public static class AccessSetup
{
    public const string ReadUsers = "ReadUsers";
    public const string WriteUsers = "WriteUsers";
    private const string SelectScheme = "Credentials";

    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>()
            .BindConfiguration(AccessOptions.Section)
            .PostConfigure(options => options.ApiKeys.AddRange(ApiKeyFile.Read(options.ApiKeysFile)))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();

        services.AddAuthentication(SelectScheme)
            .AddPolicyScheme(SelectScheme, "Bearer token, API key or developer mode", scheme => scheme.ForwardDefaultSelector = SchemeFor)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DeveloperAuthenticationHandler>(DeveloperAuthenticationHandler.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AccessOptions>>((jwt, access) =>
        {
            jwt.Authority = access.Value.Authority;
            jwt.Audience = access.Value.Audience;
            jwt.RequireHttpsMetadata = access.Value.RequireHttpsMetadata;
            // Keep the token's own claim names (sub, scope, scp, roles) instead of the WS-* URIs.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        });

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AccessOptions>>((authorization, access) =>
        {
            authorization.AddPolicy(ReadUsers, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(access.Value.ReadScope)));
            authorization.AddPolicy(WriteUsers, policy => policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(access.Value.WriteScope)));
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems>();
        return services;
    }

    /// <summary>Reads the issuer's metadata once at start-up, so a wrong or unreachable issuer stops the service at once.</summary>
    public static async Task CheckIssuerAsync(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<IOptions<AccessOptions>>().Value;
        if (access.DeveloperMode || !access.UsesTokens)
        {
            return;
        }

        var jwt = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await jwt.ConfigurationManager!.GetConfigurationAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or OperationCanceledException)
        {
            throw new StartupFailureException(
                $"{AccessOptions.Section}__{nameof(AccessOptions.Authority)} '{access.Authority}': the issuer's metadata document "
                + $"({access.Authority!.TrimEnd('/')}/.well-known/openid-configuration) could not be read: check the URL and that the issuer is reachable from here.");
        }
    }

    private static string SchemeFor(HttpContext context)
    {
        var access = context.RequestServices.GetRequiredService<IOptions<AccessOptions>>().Value;
        if (access.DeveloperMode)
        {
            return DeveloperAuthenticationHandler.SchemeName;
        }

        return context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) || !access.UsesTokens
            ? ApiKeyAuthenticationHandler.SchemeName
            : JwtBearerDefaults.AuthenticationScheme;
    }
}

/// <summary>The shape checks of <see cref="AccessOptions"/>, plus the one that depends on the environment (developer mode).</summary>
internal sealed class AccessOptionsValidator(IHostEnvironment environment) : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var errors = options.Validate(environment.IsDevelopment(), environment.EnvironmentName).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
