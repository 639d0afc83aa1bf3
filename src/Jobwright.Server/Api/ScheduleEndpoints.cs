using System.Globalization;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Api;

/// <summary>
/// <c>/api/v1/schedules</c>: create (201), list, get, delete, pause, resume, trigger now, and the next N fire
/// times; <c>GET /api/v1/jobs?scheduleId=ID</c> lists a schedule's jobs. Creating, changing and triggering a
/// schedule needs a caller whose scope covers every job, as pausing does.
/// </summary>
internal static class ScheduleEndpoints
{
    public static void MapScheduleEndpoints(this IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server)
    {
        api.MapPost("/schedules", async (HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
            if ((problem ??= Refused(http)) is not null)
            {
                return problem;
            }

            var (request, errors) = ScheduleRequestParser.Parse(body!);
            if (request is null)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The schedule is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var schedule = await jobs.CreateScheduleAsync(request, JobwrightCaller.From(http).Name, ct);
            await audit.RecordAsync(http, "schedule-add", $"schedule {schedule.ScheduleId}", AuditTrail.Ok, $"{schedule.Name}: {schedule.Group}/{schedule.Operation}");
            return TypedResults.Created($"/api/v1/schedules/{schedule.ScheduleId}", schedule);
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<ScheduleRecord>(StatusCodes.Status201Created, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        api.MapPut("/schedules/{id}", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            if (!TryId(id, out var scheduleId, out var idProblem) || (idProblem = Refused(http)) is not null)
            {
                return idProblem!;
            }

            var (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
            if (problem is not null)
            {
                return problem;
            }

            var (request, errors) = ScheduleRequestParser.Parse(body!);
            if (request is null)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The schedule is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var schedule = await jobs.UpdateScheduleAsync(scheduleId, request, ct);
            await audit.RecordAsync(http, "schedule-update", $"schedule {scheduleId}", AuditTrail.Ok, $"{schedule.Name}: {schedule.Group}/{schedule.Operation}");
            return Results.Json(schedule, ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<ScheduleRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        api.MapGet("/schedules", async (JobService jobs, CancellationToken ct) => Results.Json(new ScheduleListResponse(await jobs.ListSchedulesAsync(ct)), ApiJson.Options))
            .RequireAuthorization(JobwrightPolicies.Reader).Answers<ScheduleListResponse>(StatusCodes.Status200OK);

        api.MapGet("/schedules/{id}", async (string id, JobService jobs, CancellationToken ct) =>
            !TryId(id, out var scheduleId, out var problem) ? problem!
            : await jobs.GetScheduleAsync(scheduleId, ct) is { } schedule ? Results.Json(schedule, ApiJson.Options) : NotFound(scheduleId))
            .RequireAuthorization(JobwrightPolicies.Reader).Answers<ScheduleRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/schedules/{id}/next", async (string id, HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            if (!TryId(id, out var scheduleId, out var problem))
            {
                return problem!;
            }

            var count = 10;
            if (request.Query["count"].FirstOrDefault() is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100))
            {
                return Problems.Invalid("count", "count must be a whole number from 1 to 100.");
            }

            return Results.Json(new NextRunsResponse(await jobs.NextRunsAsync(scheduleId, count, ct)), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Reader).Answers<NextRunsResponse>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapDelete("/schedules/{id}", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            if (!TryId(id, out var scheduleId, out var problem) || (problem = Refused(http)) is not null)
            {
                return problem!;
            }

            await jobs.DeleteScheduleAsync(scheduleId, ct);
            await audit.RecordAsync(http, "schedule-rm", $"schedule {scheduleId}", AuditTrail.Ok);
            return Results.NoContent();
        }).RequireAuthorization(JobwrightPolicies.Operator).Produces(StatusCodes.Status204NoContent).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        foreach (var (action, paused) in new[] { ("pause", true), ("resume", false) })
        {
            api.MapPost($"/schedules/{{id}}/{action}", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
            {
                if (!TryId(id, out var scheduleId, out var problem) || (problem = Refused(http)) is not null)
                {
                    return problem!;
                }

                var schedule = await jobs.PauseScheduleAsync(scheduleId, paused, ct);
                await audit.RecordAsync(http, "schedule-" + action, $"schedule {scheduleId}", AuditTrail.Ok);
                return Results.Json(schedule, ApiJson.Options);
            }).RequireAuthorization(JobwrightPolicies.Operator).Answers<ScheduleRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        }

        api.MapPost("/schedules/{id}/trigger", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            if (!TryId(id, out var scheduleId, out var problem) || (problem = Refused(http)) is not null)
            {
                return problem!;
            }

            var job = await jobs.TriggerScheduleAsync(scheduleId, ct);
            await audit.RecordAsync(http, "schedule-trigger", $"schedule {scheduleId}", AuditTrail.Ok, $"job {job.JobId}");
            return TypedResults.Accepted($"/api/v1/jobs/{job.JobId}", ApiJson.Shown(job));
        }).RequireAuthorization(JobwrightPolicies.Operator).Answers<JobRecord>(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static bool TryId(string text, out long scheduleId, out IResult? problem)
    {
        problem = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out scheduleId) && scheduleId > 0
            ? null
            : Problems.Invalid("scheduleId", $"'{text}' is not a schedule id; a schedule id is a positive whole number.");
        return problem is null;
    }

    private static IResult NotFound(long scheduleId) => Problems.Create(
        StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such schedule.", $"There is no schedule {scheduleId}.",
        [new("scheduleId", $"No schedule has the id {scheduleId}; GET /api/v1/schedules lists them.")]);

    private static IResult? Refused(HttpContext http) => EveryJobScope.Refused(http, "Schedules");
}

/// <summary>Every schedule, by name.</summary>
internal sealed record ScheduleListResponse(IReadOnlyList<ScheduleRecord> Schedules);

/// <summary>The next times a schedule is due.</summary>
internal sealed record NextRunsResponse(IReadOnlyList<DateTimeOffset> NextRuns);
