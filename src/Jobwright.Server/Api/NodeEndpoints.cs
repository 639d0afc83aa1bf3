using Jobwright.Engine;
using Jobwright.Model;
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
            new OperationListResponse(jobs.Operations.Select(OperationViews.From)), ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader)
            .Answers<OperationListResponse>(StatusCodes.Status200OK);

        api.MapGet("/operations/{name}", (string name, string? group, JobService jobs) =>
            Results.Json(OperationViews.From(jobs.FindOperation(name, group)), ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader)
            .Answers<OperationView>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/node", (JobService jobs) => Results.Json(jobs.Node, ApiJson.Options)).RequireAuthorization(JobwrightPolicies.Reader).Answers<NodeInfo>(StatusCodes.Status200OK);

        api.MapGet("/stats", async (HttpContext http, JobService jobs, CancellationToken ct) =>
        {
            var caller = JobwrightCaller.From(http);
            var counts = await ScopedJobs.CountAsync(jobs, caller, ct);
            // The waiting census is the whole store's, as /metrics gives it; a caller with a narrower scope gets none.
            var waiting = caller.SeesEverything ? await jobs.CountWaitingByReasonAsync(ct) : null;
            return Results.Json(new StatsResponse(JobStatuses.All.ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s)), waiting), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Reader).Answers<StatsResponse>(StatusCodes.Status200OK);

        // The live nodes of a PostgreSQL cluster; one SQLite node is the whole cluster.
        api.MapGet("/nodes", async (JobService jobs, CancellationToken ct) => Results.Json(new NodeListResponse(await jobs.ListNodesAsync(ct)), ApiJson.Options))
            .RequireAuthorization(JobwrightPolicies.Reader).Answers<NodeListResponse>(StatusCodes.Status200OK);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (JobService jobs, CancellationToken ct) =>
        {
            try
            {
                await jobs.PingStoreAsync(ct);
                return Results.Json(new HealthResponse("ok", "reachable", jobs.Node.TakingWork), ApiJson.Options);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "The store cannot be reached.", e.Message);
            }
        }).AllowAnonymous().Produces<HealthResponse>(StatusCodes.Status200OK, "application/json").Produces<ProblemResponse>(StatusCodes.Status503ServiceUnavailable, "application/problem+json");

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
                .RequireAuthorization(JobwrightPolicies.Admin).ExcludeFromDescription();
        }
    }
}
