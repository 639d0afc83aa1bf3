using Jobwright.Engine;
using Jobwright.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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
            var caller = JobwrightCaller.From(http);
            var counts = await ScopedJobs.CountAsync(jobs, caller, ct);
            // The waiting census is the whole store's, as /metrics gives it; a caller with a narrower scope gets none.
            var waiting = caller.SeesEverything ? await jobs.CountWaitingByReasonAsync(ct) : null;
            return Results.Json(new { counts = JobStatuses.All.ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s)), waiting }, ApiJson.Options);
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

        // Prometheus' text of the OpenTelemetry metrics (WithTelemetry); a host without them says how to turn them on.
        if (app.ServiceProvider.GetService<TelemetryExport>() is { Prometheus: true })
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(JobwrightPolicies.Admin);
        }
        else
        {
            app.MapGet("/metrics", () => Problems.Create(
                StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Metrics are not exported by this host.",
                "Call AddJobwright(...).WithTelemetry() to serve them here, or export the 'Jobwright' meter with your own OpenTelemetry set-up."))
                .RequireAuthorization(JobwrightPolicies.Admin);
        }
    }
}
