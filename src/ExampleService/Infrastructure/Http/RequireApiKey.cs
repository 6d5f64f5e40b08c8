using System.Security.Cryptography;
using System.Text;
using ExampleService.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Http;

/// <summary>Endpoint metadata: writes to this endpoint need the API key when one is configured.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequireApiKeyForWritesAttribute : Attribute;

/// <summary>
/// Checks X-Api-Key before the endpoint runs (so before the body is read) for unsafe methods on endpoints marked
/// with <see cref="RequireApiKeyForWritesAttribute"/>. The comparison takes the same time whatever the key.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public const string HeaderName = "X-Api-Key";
    private readonly byte[]? _expectedHash = options.Value.ApiKey is { } key ? Hash(key) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (_expectedHash is null
            || HttpMethods.IsGet(context.Request.Method)
            || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<RequireApiKeyForWritesAttribute>() is null
            || CryptographicOperations.FixedTimeEquals(Hash(context.Request.Headers[HeaderName].ToString()), _expectedHash))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return context.WriteProblemAsync(
            StatusCodes.Status401Unauthorized, "Unauthorized", $"This operation needs a valid API key in the {HeaderName} header.");
    }

    // Hashing first gives equal-length inputs, so the fixed-time compare does not leak the key's length either.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
