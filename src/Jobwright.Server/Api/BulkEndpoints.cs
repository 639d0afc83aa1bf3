using Jobwright.Engine;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Api;

/// <summary><c>POST /api/v1/jobs/bulk</c>: cancel or delete every job a filter matches, or count them (dry run).</summary>
internal static class BulkEndpoints
{
    public static void MapBulkEndpoints(this IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server)
    {
        api.MapPost("/jobs/bulk", async (HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
            if (problem is not null)
            {
                return problem;
            }

            var (request, errors, filterProblem) = BulkRequest.Parse(body!);
            if (filterProblem is not null)
            {
                return filterProblem;
            }

            if (request is null)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The bulk request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var caller = JobwrightCaller.From(http);
            if (request.Action == BulkRequest.Delete && !caller.CanDelete)
            {
                return Problems.Create(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden.", "Deleting jobs needs the admin role.", [new("action", "Only an admin may delete jobs.")]);
            }

            var summary = await BulkActions.RunAsync(jobs, request, caller, ct);
            if (!request.DryRun)
            {
                await audit.RecordAsync(http, "bulk-" + request.Action, Describe(request), AuditTrail.Ok, $"matched {summary.Matched}, done {summary.Done}, skipped {summary.Skipped}");
            }

            return Results.Json(summary, ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<BulkSummary>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    private static string Describe(BulkRequest request)
    {
        var f = request.Filter;
        var parts = new List<string>();
        if (f.Statuses.Count > 0)
        {
            parts.Add("status=" + string.Join(',', f.Statuses.Select(s => Status.JobStatuses.ToWire(s))));
        }

        foreach (var (name, value) in new[] { ("operation", f.Operation), ("group", f.Group), ("target", f.Target), ("submitter", f.Submitter) })
        {
            if (value is not null)
            {
                parts.Add($"{name}={value}");
            }
        }

        return parts.Count == 0 ? "every job" : string.Join(' ', parts);
    }
}
