using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ExampleService.Infrastructure.Http;

/// <summary>Strong entity tags made from a row's concurrency token, and the RFC 9110 precondition checks.</summary>
public static class ETags
{
    public static string From(Guid version) => $"\"{version:N}\"";

    /// <summary>If-Match (strong comparison): true when absent, "*", or one of the tags is the current one.</summary>
    public static bool IfMatchAllows(HttpRequest request, Guid currentVersion)
        => request.Headers.IfMatch.Count == 0 || AnyTagMatches(request.Headers.IfMatch, currentVersion, strong: true);

    /// <summary>If-None-Match (weak comparison): true when the client already has this version.</summary>
    public static bool IfNoneMatchHits(HttpRequest request, Guid currentVersion)
        => request.Headers.IfNoneMatch.Count > 0 && AnyTagMatches(request.Headers.IfNoneMatch, currentVersion, strong: false);

    private static bool AnyTagMatches(StringValues header, Guid currentVersion, bool strong)
    {
        var current = new EntityTagHeaderValue(From(currentVersion));
        return EntityTagHeaderValue.TryParseList(header, out var tags)
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: strong));
    }

    public static bool HasIfMatch(HttpRequest request) => request.Headers.IfMatch.Count > 0;
}
