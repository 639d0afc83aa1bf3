using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Jobwright.Server.Api;

/// <summary>
/// Answers a request no endpoint took: 405 with Allow when its path is served with other methods, 404
/// otherwise. (A fallback endpoint wins over routing's own 405, so the fallback tells the two apart.)
/// </summary>
internal static class UnmatchedRequests
{
    public static IResult Answer(HttpContext http, EndpointDataSource endpoints)
    {
        var allowed = MethodsAt(endpoints, http.Request.Path);
        if (allowed.Count == 0)
        {
            return Problems.Create(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found.", $"There is nothing at {http.Request.Method} {http.Request.Path}.");
        }

        http.Response.Headers.Allow = string.Join(", ", allowed);
        return Problems.Create(
            StatusCodes.Status405MethodNotAllowed, ProblemTypes.MethodNotAllowed, "Method not allowed.",
            $"{http.Request.Method} is not allowed on {http.Request.Path}; allowed: {string.Join(", ", allowed)}.");
    }

    private static List<string> MethodsAt(EndpointDataSource endpoints, PathString path)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } metadata || endpoint.RoutePattern.RawText is null)
            {
                continue;
            }

            var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary());
            if (matcher.TryMatch(path, new RouteValueDictionary()))
            {
                methods.UnionWith(metadata.HttpMethods);
            }
        }

        return [.. methods];
    }
}
