using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Hosting;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Server.Api;
using Jobwright.Server.Security;
using Jobwright.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Redfish;

/// <summary>The TaskService: every job as a Task, its tasks as SubTasks, and each job's task monitor.</summary>
internal static class RedfishTaskEndpoints
{
    private const int DefaultPage = 100;
    private const int MaxPage = 1000;

    public static void MapRedfishTaskEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(RedfishPaths.TaskService, (IOptions<JobwrightOptions> options, TimeProvider time) => RedfishJson.Result(new JsonObject
        {
            ["@odata.type"] = "#TaskService.v1_3_0.TaskService",
            ["@odata.id"] = RedfishPaths.TaskService,
            ["Id"] = "TaskService",
            ["Name"] = "Task Service",
            ["ServiceEnabled"] = true,
            ["DateTime"] = RedfishTaskDocument.Time(time.GetUtcNow()),
            // Retention removes the oldest ended jobs once they are older than the node's retention.
            ["CompletedTaskOverWritePolicy"] = "Oldest",
            ["TaskAutoDeleteTimeoutMinutes"] = options.Value.Retention is { } retention ? (long)Math.Ceiling(retention.TotalMinutes) : null,
            // Redfish events are not sent (there is no EventService); clients poll, or use /api/v1/events.
            ["LifeCycleEventOnTaskStateChange"] = false,
            ["Status"] = new JsonObject { ["State"] = "Enabled", ["Health"] = "OK" },
            ["Tasks"] = RedfishServiceEndpoints.Link(RedfishPaths.Tasks),
        })).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Tasks, async (HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            if (!TryPage(request, out var limit, out var before, out var problem))
            {
                return problem!;
            }

            var caller = JobwrightCaller.From(request.HttpContext);
            var page = await ScopedJobs.ListAsync(jobs, new JobQuery { Limit = limit, BeforeId = before }, caller, ct);
            var counts = await ScopedJobs.CountAsync(jobs, caller, ct);
            var collection = new JsonObject
            {
                ["@odata.type"] = "#TaskCollection.TaskCollection",
                ["@odata.id"] = RedfishPaths.Tasks,
                ["Name"] = "Task Collection",
                ["Members@odata.count"] = counts.Values.Sum(),
                ["Members"] = new JsonArray([.. page.Jobs.Select(j => (JsonNode)RedfishServiceEndpoints.Link(RedfishPaths.Task(j.JobId)))]),
            };
            if (page.NextBeforeId is { } next)
            {
                collection["Members@odata.nextLink"] = $"{RedfishPaths.Tasks}?$top={limit}&$skiptoken={next}";
            }

            return RedfishJson.Result(collection);
        }).RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Tasks + "/{id}", async (string id, HttpRequest request, JobService jobs, TaskMonitorIds monitors, OperationRegistry operations, CancellationToken ct) =>
            await VisibleAsync(id, request, jobs, ct) is { } job
                ? RedfishJson.Result(RedfishTaskDocument.Task(job, monitors.For(job.JobId), operations.Find(job.Group, job.Operation)))
                : RedfishErrors.NotFound(request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Tasks + "/{id}/SubTasks", async (string id, HttpRequest request, JobService jobs, CancellationToken ct) =>
            await VisibleAsync(id, request, jobs, ct) is { } job ? RedfishJson.Result(RedfishSubTasks.Collection(job)) : RedfishErrors.NotFound(request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.Tasks + "/{id}/SubTasks/{number}", async (string id, string number, HttpRequest request, JobService jobs, CancellationToken ct) =>
            await VisibleAsync(id, request, jobs, ct) is { } job && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) &&
            RedfishSubTasks.Member(job, n) is { } task
                ? RedfishJson.Result(task)
                : RedfishErrors.NotFound(request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        app.MapGet(RedfishPaths.TaskMonitors + "/{monitorId}", async (string monitorId, HttpRequest request, JobService jobs, TaskMonitorIds monitors, OperationRegistry operations, CancellationToken ct) =>
            monitors.JobOf(monitorId) is { } jobId && await VisibleAsync(jobId, request, jobs, ct) is { } job
                ? RedfishTaskMonitor.Answer(request.HttpContext.Response, job, monitorId, operations.Find(job.Group, job.Operation))
                : RedfishErrors.NotFound(request))
            .RequireAuthorization(JobwrightPolicies.Reader);

        app.MapDelete(RedfishPaths.TaskMonitors + "/{monitorId}", async (string monitorId, HttpContext http, JobService jobs, TaskMonitorIds monitors, OperationRegistry operations, AuditTrail audit, CancellationToken ct) =>
        {
            var caller = JobwrightCaller.From(http);
            if (monitors.JobOf(monitorId) is not { } jobId || await jobs.GetAsync(jobId, includeHistory: false, ct) is not { } job || !caller.CanCancel(job))
            {
                return RedfishErrors.NotFound(http.Request);
            }

            // A job that already ended cannot be cancelled: JobService refuses (409), which answers as a Redfish error.
            var result = await jobs.CancelAsync(jobId, caller.Name, ct);
            await audit.RecordAsync(http, "cancel", $"job {jobId}", AuditTrail.Ok, "Redfish task monitor");
            return result.Outcome == CancelOutcome.CanceledBeforeStart
                ? Results.NoContent()
                : RedfishTaskMonitor.Cancelling(http.Response, result.Job!, monitorId, operations.Find(job.Group, job.Operation));
        }).RequireAuthorization(JobwrightPolicies.Operator);
    }

    private static Task<JobRecord?> VisibleAsync(string id, HttpRequest request, JobService jobs, CancellationToken ct) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var jobId) && jobId > 0
            ? VisibleAsync(jobId, request, jobs, ct)
            : Task.FromResult<JobRecord?>(null);

    // A job outside the caller's scope does not exist for it: 404, so that ids do not leak.
    private static async Task<JobRecord?> VisibleAsync(long jobId, HttpRequest request, JobService jobs, CancellationToken ct) =>
        await jobs.GetAsync(jobId, includeHistory: false, ct) is { } job && JobwrightCaller.From(request.HttpContext).CanSee(job) ? job : null;

    private static bool TryPage(HttpRequest request, out int limit, out long? before, out IResult? problem)
    {
        limit = DefaultPage;
        before = null;
        problem = null;
        if (request.Query["$top"].FirstOrDefault() is { } top)
        {
            if (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxPage)
            {
                problem = QueryParameter("$top", top, $"a whole number from 1 to {MaxPage}");
                return false;
            }
        }

        if (request.Query["$skiptoken"].FirstOrDefault() is { } token)
        {
            if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                problem = QueryParameter("$skiptoken", token, "the token of a Members@odata.nextLink");
                return false;
            }

            before = id;
        }

        return true;
    }

    private static IResult QueryParameter(string name, string value, string expected) => RedfishErrors.Error(400, RedfishMessages.Base + "QueryParameterValueTypeError",
        $"The value '{value}' for the query parameter {name} is not valid: use {expected}.",
        RedfishMessages.Message(RedfishMessages.Base + "QueryParameterValueTypeError", $"The value '{value}' for the query parameter {name} is of a different type than the parameter can accept.", "Warning",
            $"Use {expected}.", value, name));
}
