namespace ExampleService.Infrastructure.Http;

/// <summary>Answer of the ping endpoint.</summary>
public sealed record PingResponse(string Status);

/// <summary>
/// A trivial JSON endpoint through the same pipeline as the API (headers, logging, metrics) but without the database
/// or rate limiting: the ceiling the benchmark compares the users endpoints with.
/// </summary>
public static class PingEndpoint
{
    private static readonly PingResponse OkAnswer = new("ok");

    public static IEndpointRouteBuilder MapPing(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/ping", () => TypedResults.Ok(OkAnswer))
            .WithName("Ping")
            .WithTags("Operations")
            .WithSummary("Answers {\"status\":\"ok\"} without touching the database.");
        return app;
    }
}
