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
        api.MapPost("/jobs/{id}/rerun", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (jobId, body, problem) = await ReadAsync(id, http, jobs, server.Value, ["parameters", "notBefore", "note"], ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new List<FieldError>();
            var parameters = body!["parameters"] switch
            {
                null => null,
                JsonObject given => given,
                _ => Error(errors, "parameters", "parameters must be a JSON object of name → value (the ones to change)."),
            };
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

            var note = Note(body, errors);
            if (errors.Count > 0)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The rerun request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var caller = JobwrightCaller.From(http);
            var copy = await jobs.RerunAsync(jobId, parameters, notBefore, note, caller.Name, ct);
            await audit.RecordAsync(http, "rerun", $"job {jobId}", AuditTrail.Ok, $"as job {copy.JobId}");
            return TypedResults.Accepted($"/api/v1/jobs/{copy.JobId}", ApiJson.Shown(copy));
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<JobRecord>(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/jobs/{id}/complete", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (jobId, body, problem) = await ReadAsync(id, http, jobs, server.Value, ["parameters", "note"], ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new List<FieldError>();
            var parameters = body!["parameters"] switch
            {
                null => null,
                JsonObject given => given,
                _ => Error(errors, "parameters", "parameters must be a JSON object of name → value (the ones to change)."),
            };
            var note = Note(body, errors);
            if (errors.Count > 0)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The complete request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var linked = await jobs.CompleteAsync(jobId, parameters, note, JobwrightCaller.From(http).Name, ct);
            await audit.RecordAsync(http, "complete", $"job {jobId}", AuditTrail.Ok, $"by job {linked.JobId}");
            return TypedResults.Accepted($"/api/v1/jobs/{linked.JobId}", ApiJson.Shown(linked));
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<JobRecord>(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/jobs/{id}/revert", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (jobId, body, problem) = await ReadAsync(id, http, jobs, server.Value, ["note"], ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new List<FieldError>();
            var note = Note(body!, errors);
            if (errors.Count > 0)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The revert request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var linked = await jobs.RevertAsync(jobId, note, JobwrightCaller.From(http).Name, ct);
            await audit.RecordAsync(http, "revert", $"job {jobId}", AuditTrail.Ok, $"by job {linked.JobId}");
            return TypedResults.Accepted($"/api/v1/jobs/{linked.JobId}", ApiJson.Shown(linked));
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<JobRecord>(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/jobs/{id}/acknowledge", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            var (jobId, body, problem) = await ReadAsync(id, http, jobs, server.Value, ["note"], ct);
            if (problem is not null)
            {
                return problem;
            }

            var errors = new List<FieldError>();
            var note = Note(body!, errors);
            if (errors.Count > 0)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The acknowledge request is invalid.", string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var job = await jobs.AcknowledgeAsync(jobId, note, JobwrightCaller.From(http).Name, ct);
            await audit.RecordAsync(http, "acknowledge", $"job {jobId}", AuditTrail.Ok, note);
            return Results.Json(ApiJson.Shown(job), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Operator)
            .Answers<JobRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
    }

    // The job id, the body (empty: {}), and whether the caller may act on the job (else 404, as for cancel).
    private static async Task<(long JobId, JsonObject? Body, IResult? Problem)> ReadAsync(
        string id, HttpContext http, JobService jobs, JobwrightServerOptions server, string[] fields, CancellationToken ct)
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

        var unknown = body!.Select(p => p.Key).Where(k => !fields.Contains(k)).Select(k => new FieldError(k, $"Unknown field '{k}'; this request takes {string.Join(", ", fields)}.")).ToArray();
        if (unknown.Length > 0)
        {
            return (0, null, Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The request is invalid.", string.Join(" ", unknown.Select(e => e.Message)), unknown));
        }

        if (await jobs.GetAsync(jobId, includeHistory: false, ct) is not { } job || !JobwrightCaller.From(http).CanCancel(job))
        {
            return (0, null, Problems.JobNotFound(jobId));
        }

        return (jobId, body, null);
    }

    private static string? Note(JsonObject body, List<FieldError> errors) => body["note"] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => Error<string>(errors, "note", "note must be a string."),
    };

    private static JsonObject? Error(List<FieldError> errors, string field, string message) => Error<JsonObject>(errors, field, message);

    private static T? Error<T>(List<FieldError> errors, string field, string message)
        where T : class
    {
        errors.Add(new(field, message));
        return null;
    }
}
