using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Api;

/// <summary>
/// <c>POST /api/v1/targets/{group}/{target}/pause</c> and <c>/resume</c>, the same under
/// <c>/api/v1/operations/{group}/{name}/</c>, each with an optional body <c>{ "note": "…" }</c>; and
/// <c>GET /api/v1/pauses</c>. A caller whose scope is narrower than every job may not pause.
/// </summary>
internal static class PauseEndpoints
{
    public static void MapPauseEndpoints(this IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server)
    {
        foreach (var (kind, route) in new[] { (PauseKinds.Target, "/targets/{group}/{name}"), (PauseKinds.Operation, "/operations/{group}/{name}") })
        {
            api.MapPost(route + "/pause", async (string group, string name, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
            {
                var (note, problem) = await NoteAsync(http, server.Value, ct);
                problem ??= Refused(http);
                if (problem is not null)
                {
                    return problem;
                }

                var pause = await jobs.PauseAsync(kind, $"{group}/{name}", note, JobwrightCaller.From(http).Name, ct);
                await audit.RecordAsync(http, "pause", $"{kind} {pause.Key}", AuditTrail.Ok, note);
                return Results.Json(pause, ApiJson.Options);
            }).RequireAuthorization(JobwrightPolicies.Operator)
                .Answers<PauseRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);

            api.MapPost(route + "/resume", async (string group, string name, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
            {
                var (_, problem) = await NoteAsync(http, server.Value, ct);
                problem ??= Refused(http);
                if (problem is not null)
                {
                    return problem;
                }

                var key = $"{group}/{name}";
                var resumed = await jobs.ResumeAsync(kind, key, ct);
                await audit.RecordAsync(http, "resume", $"{kind} {key}", AuditTrail.Ok, resumed ? null : "was not paused");
                return Results.Json(new ResumeResponse(kind, key, resumed), ApiJson.Options);
            }).RequireAuthorization(JobwrightPolicies.Operator)
                .Answers<ResumeResponse>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        }

        api.MapGet("/pauses", async (JobService jobs, CancellationToken ct) => Results.Json(new PauseListResponse(await jobs.ListPausesAsync(ct)), ApiJson.Options))
            .RequireAuthorization(JobwrightPolicies.Reader).Answers<PauseListResponse>(StatusCodes.Status200OK);
    }

    private static IResult? Refused(HttpContext http) => EveryJobScope.Refused(http, "Pauses");

    private static async Task<(string? Note, IResult? Problem)> NoteAsync(HttpContext http, JobwrightServerOptions server, CancellationToken ct)
    {
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && http.Request.ContentType is null))
        {
            return (null, null);
        }

        var (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.MaxRequestBodyBytes, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        foreach (var (name, value) in body!)
        {
            if (name != "note")
            {
                return (null, Problems.Invalid(name, $"Unknown field '{name}'; this request takes note."));
            }

            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                return (null, Problems.Invalid("note", "note must be a string."));
            }
        }

        return (body["note"]?.GetValue<string>(), null);
    }
}

/// <summary>Whether a resume found the target or operation paused.</summary>
internal sealed record ResumeResponse(string Kind, string Key, bool Resumed);

/// <summary>The paused targets and operations.</summary>
internal sealed record PauseListResponse(IReadOnlyList<PauseRecord> Pauses);
