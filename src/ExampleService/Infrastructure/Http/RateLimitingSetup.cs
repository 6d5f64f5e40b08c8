using System.Globalization;
using System.Threading.RateLimiting;
using ExampleService.Infrastructure.Configuration;
using ExampleService.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace ExampleService.Infrastructure.Http;

/// <summary>
/// A fixed window per caller on the users API (policy <see cref="PolicyName"/>): the authenticated identity, or the
/// address for anonymous requests; 429 with Retry-After.
/// </summary>
public static class RateLimitingSetup
{
    public const string PolicyName = "per-client";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddSettings<RateLimitingOptions>(RateLimitingOptions.Section);
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                var client = context.User.CallerId() is { } caller
                    ? $"caller:{caller}"
                    : $"address:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
                return options.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(client);
            });
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : context.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value.WindowSeconds;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(context.HttpContext.WriteProblemAsync(
                    StatusCodes.Status429TooManyRequests,
                    "Too many requests",
                    $"The rate limit for this client is exceeded; retry after {retryAfter} s."));
            };
        });
        return services;
    }
}
