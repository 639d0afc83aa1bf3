using Jobwright.Server.Security;
using Jobwright.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwright.Server.Api;

/// <summary><c>GET /api/v1/audit</c>: the audit trail for admins, newest first, filtered by actor, action and time, paged by cursor.</summary>
internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", async (HttpRequest request, IAuditLog audit, CancellationToken ct) =>
        {
            // The jobs list's paging and time filters, read the same way.
            var (query, problem) = QueryParsing.ListQuery(request.Query);
            if (problem is not null)
            {
                return problem;
            }

            var records = await audit.ListAsync(
                new AuditQuery
                {
                    Actor = request.Query["actor"].FirstOrDefault(),
                    Action = request.Query["action"].FirstOrDefault(),
                    From = query!.SubmittedFrom,
                    To = query.SubmittedTo,
                    BeforeId = query.BeforeId,
                    Limit = query.PageSize + 1,
                },
                ct);
            var page = records.Take(query.PageSize).ToArray();
            var next = records.Count > query.PageSize ? QueryParsing.EncodeCursor(page[^1].Id) : null;
            return Results.Json(new AuditListResponse(page, next), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Admin).Answers<AuditListResponse>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);
    }
}
