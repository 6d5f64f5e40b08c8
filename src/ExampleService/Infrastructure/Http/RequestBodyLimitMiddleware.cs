using ExampleService.Infrastructure.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Http;

/// <summary>
/// Caps request bodies at <see cref="ServerOptions.MaxRequestBodyBytes"/>: a declared Content-Length over the cap is
/// refused at once with 413; the server (Kestrel) enforces the same cap on chunked bodies while they are read.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        if (context.Request.ContentLength is not { } length || length <= _limit)
        {
            return next(context);
        }

        return context.WriteProblemAsync(
            StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The request body has {length} bytes; at most {_limit} are accepted.");
    }
}
