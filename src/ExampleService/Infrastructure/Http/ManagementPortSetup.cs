using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Http;

/// <summary>
/// With <c>Management__Port</c> set, the operations endpoints (health, metrics) answer only on connections that arrived
/// on that port, and everything else only on the others: 404 on the wrong one. The port the connection arrived on
/// decides, never the Host header, which any client can write.
/// </summary>
public static class ManagementPortSetup
{
    /// <summary>A group whose endpoints are operations endpoints; map health and metrics on it.</summary>
    public static RouteGroupBuilder MapOperations(this IEndpointRouteBuilder app) =>
        app.MapGroup("").WithMetadata(OperationsEndpoint.Instance);

    /// <summary>After routing, which has named each request's endpoint.</summary>
    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<ManagementOptions>>().Value.Port is not { } port)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            var isOperations = context.GetEndpoint()?.Metadata.GetMetadata<OperationsEndpoint>() is not null;
            if (isOperations != (context.Connection.LocalPort == port))
            {
                // No endpoint: the request ends as an unknown route would, 404.
                context.SetEndpoint(null);
            }

            return next(context);
        });
    }

    private sealed class OperationsEndpoint
    {
        public static readonly OperationsEndpoint Instance = new();
    }
}
