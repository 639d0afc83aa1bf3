using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Api;

/// <summary>
/// Refuses state-changing requests that a browser sends from another site (Sec-Fetch-Site, or an
/// Origin that is not this node), so a page elsewhere cannot cancel or delete jobs through a
/// user's browser. Clients that are not browsers (curl, the CLI, HMC clients) send neither header.
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return next(context);
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        var crossSite = site is "cross-site" or "same-site" ||
            (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)));
        if (!crossSite)
        {
            return next(context);
        }

        return Problems.Create(
            StatusCodes.Status403Forbidden, ProblemTypes.CrossSite, "Cross-site request refused.",
            $"A {request.Method} from another site ({(origin.Length > 0 ? origin : site)}) is not accepted; use the dashboard of this node, or a client that is not a browser.",
            [new("Origin", "The request must come from this node's own pages.")]).ExecuteAsync(context);
    }
}
