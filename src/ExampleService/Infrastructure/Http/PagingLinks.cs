using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace ExampleService.Infrastructure.Http;

/// <summary>RFC 8288 <c>Link</c> header (first, prev, next, last) and <c>X-Total-Count</c> for a paged listing.</summary>
public static class PagingLinks
{
    public const string TotalCountHeader = "X-Total-Count";

    public static void Write(HttpContext context, int page, int totalPages, int totalCount)
    {
        var response = context.Response;
        response.Headers[TotalCountHeader] = totalCount.ToString(CultureInfo.InvariantCulture);
        var last = Math.Max(totalPages, 1);
        var links = new List<string> { Link(context.Request, 1, "first") };
        if (page > 1)
        {
            links.Add(Link(context.Request, Math.Min(page - 1, last), "prev"));
        }

        if (page < last)
        {
            links.Add(Link(context.Request, page + 1, "next"));
        }

        links.Add(Link(context.Request, last, "last"));
        response.Headers.Link = string.Join(", ", links);
    }

    private static string Link(HttpRequest request, int page, string rel)
    {
        // Keeps every other parameter (filters, sort, pageSize) as the client sent it.
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        query["page"] = new StringValues(page.ToString(CultureInfo.InvariantCulture));
        var target = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, QueryString.Create(query));
        return $"<{target}>; rel=\"{rel}\"";
    }
}
