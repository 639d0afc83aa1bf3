using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Api;

/// <summary>The jobs of the JSON API (SPEC §5.1): submit, get (with long-poll), list, cancel, delete.</summary>
internal static class JobEndpoints
{
    public static void MapJobEndpoints(this IEndpointRouteBuilder api, IOptions<JobwrightServerOptions> server)
    {
        api.MapPost("/jobs", async (HttpContext http, JobService jobs, CancellationToken ct) =>
        {
            var (body, problem) = await JsonBodyReader.ReadObjectAsync(http.Request, server.Value.MaxRequestBodyBytes, ct);
            if (problem is not null)
            {
                return problem;
            }

            var (submission, errors) = SubmitRequestParser.Parse(body!, http.Request.Headers["Idempotency-Key"].FirstOrDefault());
            if (submission is null)
            {
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The request is invalid.",
                    "The submit is invalid: " + string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var result = await jobs.SubmitAsync(submission, Submitter(http), ct);
            var location = $"/api/v1/jobs/{result.Job.JobId}";
            // A repeat of an earlier submit (same idempotency key) answers 200 with the job it made.
            return result.Created
                ? TypedResults.Accepted(location, ApiJson.Shown(result.Job))
                : Results.Json(ApiJson.Shown(result.Job), ApiJson.Options, statusCode: StatusCodes.Status200OK);
        });

        api.MapGet("/jobs/{id}", async (string id, HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                return problem!;
            }

            JobRecord? job;
            if (request.Query["wait"].FirstOrDefault() is { } waitText)
            {
                if (!QueryParsing.TryDuration(waitText, out var wait) || wait > QueryParsing.MaxWait)
                {
                    return Problems.Invalid("wait", $"wait must be a duration up to {QueryParsing.MaxWait.TotalSeconds:0}s, e.g. 30s or 500ms.");
                }

                long? seen = null;
                if (request.Query["version"].FirstOrDefault() is { } versionText)
                {
                    if (!long.TryParse(versionText, out var version) || version < 0)
                    {
                        return Problems.Invalid("version", "version must be the version of the record you already have, a whole number.");
                    }

                    seen = version;
                }

                job = await jobs.WaitForChangeAsync(jobId, seen, wait, ct);
            }
            else
            {
                job = await jobs.GetAsync(jobId, ct);
            }

            return job is null ? Problems.JobNotFound(jobId) : Results.Json(ApiJson.Shown(job), ApiJson.Options);
        });

        api.MapGet("/jobs", async (HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            var (query, problem) = QueryParsing.ListQuery(request.Query);
            if (problem is not null)
            {
                return problem;
            }

            var page = await jobs.ListAsync(query!, ct);
            return Results.Json(
                new { jobs = page.Jobs.Select(ApiJson.Shown), nextCursor = page.NextBeforeId is { } next ? QueryParsing.EncodeCursor(next) : null },
                ApiJson.Options);
        });

        api.MapPost("/jobs/{id}/cancel", async (string id, HttpContext http, JobService jobs, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                return problem!;
            }

            var result = await jobs.CancelAsync(jobId, Submitter(http), ct);
            http.Response.Headers["Jobwright-Cancel"] = result.Outcome == CancelOutcome.CanceledBeforeStart ? "canceled-before-start" : "requested";
            return Results.Json(ApiJson.Shown(result.Job!), ApiJson.Options);
        });

        api.MapDelete("/jobs/{id}", async (string id, JobService jobs, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                return problem!;
            }

            await jobs.DeleteAsync(jobId, ct);
            return Results.NoContent();
        });
    }

    // Authentication comes with the security work; until then every caller is anonymous.
    internal static string Submitter(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : "anonymous";

    private static IResult NotFound(long jobId) =>
        Problems.Create(StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "No such job.", $"There is no job {jobId}.", [new("jobId", $"No job has the id {jobId}; it may have been deleted.")]);
}
