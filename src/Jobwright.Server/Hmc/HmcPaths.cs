using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Hmc;

/// <summary>
/// Which requests belong to the HMC API: every answer under <c>/rest/api/</c>, an error included, is an
/// HMC document (an <c>HttpErrorResponse</c>), because the HMC's clients parse every body there as one.
/// </summary>
internal static class HmcPaths
{
    public static bool Covers(PathString path) => path.StartsWithSegments("/rest/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>The HMC's reason text for a status, as its HttpErrorResponse carries it.</summary>
    public static string Reason(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Unauthorized.",
        403 => "Forbidden.",
        404 => "Not found.",
        405 => "Method not allowed.",
        406 => "Not acceptable.",
        408 => "Request timeout.",
        409 => "Conflict.",
        411 => "Length required.",
        413 => "Request entity too large.",
        415 => "Unsupported media type.",
        431 => "Request header fields too large.",
        500 => "Internal server error.",
        503 => "Service unavailable.",
        _ => $"HTTP {status}.",
    };

    private static bool Hmc(HttpContext context) => Covers(context.Request.Path);

    /// <summary>What an error answer that came without a body (routing's 404 and 405, the host filter's 400) means.</summary>
    public static string EmptyErrorMessage(HttpContext context) => context.Response.StatusCode switch
    {
        404 => $"There is no resource at {context.Request.Path}.",
        405 => $"{context.Request.Method} is not allowed on {context.Request.Path}" +
            (context.Response.Headers.Allow.Count > 0 ? $"; allowed: {context.Response.Headers.Allow}." : "."),
        400 => "The request is invalid (its Host header names no name this node answers to).",
        401 when Hmc(context) => "Authentication is required: log on with PUT /rest/api/web/Logon and send its X-API-Session (this one is missing, unknown, expired or logged off).",
        401 when Redfish.RedfishPaths.Covers(context.Request.Path) =>
            "Authentication is required: create a session with POST /redfish/v1/SessionService/Sessions and send its X-Auth-Token, or send HTTP Basic with a user's name and password.",
        401 => "Authentication is required: send Authorization: Bearer with an API key or a token, or Basic with a user's name and password.",
        403 => "Your role does not allow this (reader: see jobs; operator: submit and cancel; admin: everything).",
        _ => Reason(context.Response.StatusCode),
    };
}
