using System.Globalization;
using System.Text;
using Jobwright.Engine;
using Jobwright.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using Jobwright.Server.Security;

namespace Jobwright.Server.Api;

/// <summary>Operations, this node and the cluster's nodes, health and metrics.</summary>
internal static class NodeEndpoints
{
    public static void MapNodeEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/operations", (JobService jobs) => Results.Json(
            new { operations = jobs.Operations.Select(OperationViews.From) }, ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader);

        api.MapGet("/operations/{name}", (string name, string? group, JobService jobs) =>
            Results.Json(OperationViews.From(jobs.FindOperation(name, group)), ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader);

        api.MapGet("/node", (JobService jobs) => Results.Json(jobs.Node, ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader);

        api.MapGet("/stats", async (HttpContext http, JobService jobs, CancellationToken ct) =>
        {
            var counts = await ScopedJobs.CountAsync(jobs, JobwrightCaller.From(http), ct);
            return Results.Json(new { counts = JobStatuses.All.ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s)) }, ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Reader);

        // The live nodes of a PostgreSQL cluster; one SQLite node is the whole cluster.
        api.MapGet("/nodes", async (JobService jobs, CancellationToken ct) => Results.Json(new { nodes = await jobs.ListNodesAsync(ct) }, ApiJson.Options))
            .RequireAuthorization(JobwrightPolicies.Reader);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (JobService jobs, CancellationToken ct) =>
        {
            try
            {
                await jobs.PingStoreAsync(ct);
                return Results.Json(new { status = "ok", store = "reachable", takingWork = jobs.Node.TakingWork }, ApiJson.Options);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "The store cannot be reached.", e.Message);
            }
        }).AllowAnonymous();

        app.MapGet("/metrics", async (JobService jobs, CancellationToken ct) =>
        {
            var counts = await jobs.CountByStatusAsync(ct);
            var node = jobs.Node;
            var text = new StringBuilder();
            text.Append("# HELP jobwright_jobs Jobs in the store by status.\n# TYPE jobwright_jobs gauge\n");
            foreach (var status in JobStatuses.All)
            {
                text.Append(CultureInfo.InvariantCulture, $"jobwright_jobs{{status=\"{status.ToWire()}\"}} {counts.GetValueOrDefault(status)}\n");
            }

            text.Append("# HELP jobwright_worker_slots Worker slots of this node.\n# TYPE jobwright_worker_slots gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"jobwright_worker_slots {node.WorkerSlots}\n");
            text.Append("# HELP jobwright_jobs_running Jobs whose handler runs on this node.\n# TYPE jobwright_jobs_running gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"jobwright_jobs_running {node.JobsRunning}\n");
            return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
        }).RequireAuthorization(JobwrightPolicies.Admin);
    }
}
