using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace ExampleService.Infrastructure.Http;

/// <summary>
/// OpenAPI document at /openapi/v1.json and the Scalar reference page at /scalar: in Development, elsewhere only with
/// <c>ApiDocument__Enabled=true</c> (a protected environment does not describe itself to whoever asks).
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddSettings<ApiDocumentOptions>(ApiDocumentOptions.Section).AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ExampleService users API";
            document.Info.Description = "A directory of users: CRUD with paging, filtering, sorting, ETags and problem details.";
            // The document is committed and compared in a test: keep it independent of the host that served it.
            document.Servers = [];
            return Task.CompletedTask;
        }));

    public static WebApplication MapApiDocumentIfEnabled(this WebApplication app)
    {
        if (!(app.Services.GetRequiredService<IOptions<ApiDocumentOptions>>().Value.Enabled ?? app.Environment.IsDevelopment()))
        {
            return app;
        }

        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("ExampleService users API"));
        return app;
    }
}
