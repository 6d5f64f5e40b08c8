using Scalar.AspNetCore;

namespace ExampleService.Infrastructure.Http;

/// <summary>OpenAPI document at /openapi/v1.json and the Scalar reference page at /scalar, in every environment.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ExampleService users API";
            document.Info.Description = "A directory of users: CRUD with paging, filtering, sorting, ETags and problem details.";
            // The document is committed and compared in a test: keep it independent of the host that served it.
            document.Servers = [];
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("ExampleService users API"));
        return app;
    }
}
