using System.Security.Claims;
using System.Text.Json.Nodes;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>
/// The SessionService: <c>POST Sessions</c> with a user's name and password answers <c>X-Auth-Token</c> and the
/// session's <c>Location</c>; <c>DELETE</c> of it logs off. The users and roles are those of the node's users file
/// (Redfish's Administrator, Operator and ReadOnly are admin, operator and reader). Without authentication configured,
/// any non-empty name and password log on, as for the HMC API.
/// </summary>
internal static class RedfishSessionEndpoints
{
    public static void MapRedfishSessionEndpoints(this IEndpointRouteBuilder app, IOptions<JobwrightServerOptions> server)
    {
        app.MapGet(RedfishPaths.SessionService, () => RedfishJson.Result(new JsonObject
        {
            ["@odata.type"] = "#SessionService.v1_1_9.SessionService",
            ["@odata.id"] = RedfishPaths.SessionService,
            ["Id"] = "SessionService",
            ["Name"] = "Session Service",
            ["ServiceEnabled"] = true,
            ["SessionTimeout"] = (long)server.Value.RedfishSessionIdleTimeout.TotalSeconds,
            ["Status"] = new JsonObject { ["State"] = "Enabled", ["Health"] = "OK" },
            ["Sessions"] = RedfishServiceEndpoints.Link(RedfishPaths.Sessions),
        })).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Sessions, (HttpContext http, RedfishSessions sessions) =>
        {
            var caller = JobwrightCaller.From(http);
            var ids = sessions.Ids(caller.Name, anyone: caller.Allows(JobwrightRoles.Admin));
            return RedfishJson.Result(new JsonObject
            {
                ["@odata.type"] = "#SessionCollection.SessionCollection",
                ["@odata.id"] = RedfishPaths.Sessions,
                ["Name"] = "Session Collection",
                ["Members@odata.count"] = ids.Count,
                ["Members"] = new JsonArray([.. ids.Select(id => (JsonNode)RedfishServiceEndpoints.Link($"{RedfishPaths.Sessions}/{id}"))]),
            });
        }).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapPost(RedfishPaths.Sessions, async (HttpContext http, RedfishSessions sessions, IOptions<JobwrightSecurityOptions> security, AuditTrail audit, CancellationToken ct) =>
        {
            var (body, problem) = await RedfishBodies.ReadAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
            if (problem is not null)
            {
                return problem;
            }

            var (user, userProblem) = RedfishBodies.RequiredString(body!, "UserName");
            var (password, passwordProblem) = RedfishBodies.RequiredString(body!, "Password");
            if ((userProblem ?? passwordProblem) is { } missing)
            {
                return missing;
            }

            var principal = string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password) ? null
                : security.Value.Enabled
                    ? http.RequestServices.GetRequiredService<PrincipalDirectory>().LogOn(user, password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", "RedfishSession")
                    : new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "RedfishSession"));
            await audit.RecordAsync(http, string.IsNullOrEmpty(user) ? "anonymous" : user, "logon", "Redfish", principal is null ? AuditTrail.Refused : AuditTrail.Ok,
                principal is null ? "unknown user, wrong password or too many failures" : null);
            if (principal is null)
            {
                // The same answer for an unknown user, a wrong password and a throttled one.
                return RedfishErrors.Error(401, RedfishMessages.Base + "NoValidSession", "The UserName or Password is not right; no session was created.");
            }

            var (token, id) = sessions.Open(principal);
            http.Response.Headers[RedfishSessionAuthenticationHandler.Header] = token;
            http.Response.Headers.Location = $"{RedfishPaths.Sessions}/{id}";
            return RedfishJson.Result(Session(id, user!), StatusCodes.Status201Created);
        }).AllowAnonymous();

        app.MapGet(RedfishPaths.Sessions + "/{id}", (string id, HttpContext http, RedfishSessions sessions) =>
            sessions.Find(id) is { } found && Owns(http, found.User)
                ? RedfishJson.Result(Session(found.Id, found.User.Identity?.Name ?? "anonymous"))
                : RedfishErrors.NotFound(http.Request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        app.MapDelete(RedfishPaths.Sessions + "/{id}", async (string id, HttpContext http, RedfishSessions sessions, AuditTrail audit) =>
        {
            var caller = JobwrightCaller.From(http);
            if (!sessions.LogOffById(id, caller.Name, anyone: caller.Allows(JobwrightRoles.Admin)))
            {
                return RedfishErrors.NotFound(http.Request);
            }

            await audit.RecordAsync(http, "logoff", "Redfish session", AuditTrail.Ok);
            return Results.NoContent();
        }).RequireAuthorization(JobwrightPolicies.Reader);
    }

    // A caller sees its own sessions; an admin (and every caller of a node without authentication) sees all.
    private static bool Owns(HttpContext http, ClaimsPrincipal user)
    {
        var caller = JobwrightCaller.From(http);
        return caller.Allows(JobwrightRoles.Admin) || caller.Name == user.Identity?.Name;
    }

    private static JsonObject Session(string id, string user) => new()
    {
        ["@odata.type"] = "#Session.v1_7_0.Session",
        ["@odata.id"] = $"{RedfishPaths.Sessions}/{id}",
        ["Id"] = id,
        ["Name"] = "User Session",
        ["UserName"] = user,
    };
}
