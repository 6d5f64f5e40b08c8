using ExampleService.Infrastructure.Configuration;
using ExampleService.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ExampleService.Infrastructure.Http;

/// <summary>
/// OpenAPI document at /openapi/v1.json and the Scalar reference page at /scalar: in Development, elsewhere only with
/// <c>ApiDocument__Enabled=true</c> (a protected environment does not describe itself to whoever asks). The document
/// names both credentials (a bearer JWT, an API key header) and each operation's scope, so the page can authorize.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddSettings<ApiDocumentOptions>(ApiDocumentOptions.Section).AddOpenApi(options => options
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ExampleService users API";
                document.Info.Description = "A directory of users: CRUD with paging, filtering, sorting, ETags and problem details.";
                // The document is committed and compared in a test: keep it independent of the host that served it.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "An access token of the configured OpenID Connect issuer, with the operation's scope (scope, scp or roles claim).",
                    },
                    [ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = ApiKeyAuthenticationHandler.HeaderName,
                        Description = "An API key whose SHA-256 is configured, granted the operation's scope.",
                    },
                };
                return Task.CompletedTask;
            })
            .AddOperationTransformer((operation, context, _) =>
            {
                var policy = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
                if (policy is null)
                {
                    return Task.CompletedTask;
                }

                var access = context.ApplicationServices.GetRequiredService<IOptions<AccessOptions>>().Value;
                List<string> scopes = [policy == AccessSetup.WriteUsers ? access.WriteScope : access.ReadScope];
                // Either credential will do: two requirements, each naming the scope (OpenAPI 3.1 lets other scheme types list roles).
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = scopes },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = scopes },
                ];
                return Task.CompletedTask;
            }));

    public static WebApplication MapApiDocumentIfEnabled(this WebApplication app)
    {
        if (!(app.Services.GetRequiredService<IOptions<ApiDocumentOptions>>().Value.Enabled ?? app.Environment.IsDevelopment()))
        {
            return app;
        }

        app.MapOpenApi();
        app.MapScalarApiReference(options => options
            .WithTitle("ExampleService users API")
            .AddPreferredSecuritySchemes(BearerScheme, ApiKeyAuthenticationHandler.SchemeName));
        return app;
    }
}
