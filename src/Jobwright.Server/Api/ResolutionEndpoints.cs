using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Api;

/// <summary>
/// <c>POST /api/v1/jobs/{id}/complete</c>, <c>/revert</c> and <c>/rerun</c> (202 with the linked job) and
/// <c>/acknowledge</c> (200 with the job), each with an optional body <c>{ "parameters": { … }, "notBefore": "…",
/// "note": "…" }</c> (complete: parameters and note; revert and acknowledge: the note alone).
/// </summary>
internal static class ResolutionEndpoints
{
    public static void MapResolutionEndpoints(this IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server)
    {
        Map(api, server, "complete", ["parameters", "note"], (jobs, id, r, actor, ct) => jobs.CompleteAsync(id, r.Parameters, r.Note, actor, ct));
        Map(api, server, "revert", ["note"], (jobs, id, r, actor, ct) => jobs.RevertAsync(id, r.Note, actor, ct));
        Map(api, server, "rerun", ["parameters", "notBefore", "note"], (jobs, id, r, actor, ct) => jobs.RerunAsync(id, r.Parameters, r.NotBefore, r.Note, actor, ct));
        Map(api, server, "acknowledge", ["note"], (jobs, id, r, actor, ct) => jobs.AcknowledgeAsync(id, r.Note, actor, ct), linksAJob: false);
    }

    // One action: read the id and the body (naming each wrong field), check the caller may act on the job, act, audit.
    private static void Map(
        IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server, string action, string[] fields,
        Func<JobService, long, Request, string?, CancellationToken, Task<JobRecord>> act, bool linksAJob = true)
    {
        api.MapPost($"/jobs/{{id}}/{action}", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (jobId, request, problem) = await ReadAsync(id, http, jobs, server.Value, action, fields, ct);
            if (problem is not null)
            {
                return problem;
            }

            var job = await act(jobs, jobId, request!, JobwrightCaller.From(http).Name, ct);
            if (!linksAJob)
            {
                await audit.RecordAsync(http, action, $"job {jobId}", AuditTrail.Ok, request!.Note);
                return Results.Json(ApiJson.Shown(job), ApiJson.Options);
            }

            await audit.RecordAsync(http, action, $"job {jobId}", AuditTrail.Ok, $"job {job.JobId}");
            return TypedResults.Accepted($"/api/v1/jobs/{job.JobId}", ApiJson.Shown(job));
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<JobRecord>(linksAJob ? StatusCodes.Status202Accepted : StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
    }

    // The job id, the request (an empty body is {}), and whether the caller may act on the job (else 404, as for cancel).
    private static async Task<(long JobId, Request? Request, IResult? Problem)> ReadAsync(
        string id, HttpContext http, JobService jobs, JobwrightServerOptions server, string action, string[] fields, CancellationToken ct)
    {
        if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
        {
            return (0, null, problem);
        }

        var body = new JsonObject();
        if (http.Request.ContentLength is not 0 && (http.Request.ContentLength is not null || http.Request.ContentType is not null))
        {
            (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.MaxRequestBodyBytes, ct);
            if (problem is not null)
            {
                return (0, null, problem);
            }
        }

        var (request, errors) = Parse(body!, fields);
        if (errors.Count > 0)
        {
            return (0, null, Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, $"The {action} request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors));
        }

        if (await jobs.GetAsync(jobId, includeHistory: false, ct) is not { } job || !JobwrightCaller.From(http).CanCancel(job))
        {
            return (0, null, Problems.JobNotFound(jobId));
        }

        return (jobId, request, null);
    }

    private static (Request Request, List<FieldError> Errors) Parse(JsonObject body, string[] fields)
    {
        var errors = body.Select(p => p.Key).Where(k => !fields.Contains(k)).Select(k => new FieldError(k, $"Unknown field '{k}'; this request takes {string.Join(", ", fields)}.")).ToList();
        JsonObject? parameters = null;
        if (body["parameters"] is { } given)
        {
            parameters = given as JsonObject;
            if (parameters is null)
            {
                errors.Add(new("parameters", "parameters must be a JSON object of name → value (the ones to change)."));
            }
        }

        DateTimeOffset? notBefore = null;
        if (body["notBefore"] is { } start)
        {
            if (start is JsonValue v && v.GetValueKind() == JsonValueKind.String &&
                DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                notBefore = parsed;
            }
            else
            {
                errors.Add(new("notBefore", "notBefore must be an ISO 8601 time, e.g. 2026-12-01T14:05:00Z."));
            }
        }

        string? note = null;
        if (body["note"] is { } text)
        {
            if (text is JsonValue n && n.GetValueKind() == JsonValueKind.String)
            {
                note = n.GetValue<string>();
            }
            else
            {
                errors.Add(new("note", "note must be a string."));
            }
        }

        return (new Request(parameters, notBefore, note), errors);
    }

    private sealed record Request(JsonObject? Parameters, DateTimeOffset? NotBefore, string? Note);
}
