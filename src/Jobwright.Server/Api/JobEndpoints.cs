using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Server.Security;
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
        api.MapPost("/jobs", async (HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
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

            var caller = JobwrightCaller.From(http);
            var group = submission.Group ?? jobs.FindOperation(submission.Operation, null).Group;
            if (!caller.CanSubmit(group, submission.Operation, submission.Target))
            {
                await audit.RecordAsync(http, "submit", $"{group}/{submission.Operation} {submission.Target}".TrimEnd(), AuditTrail.Refused, "outside the caller's scope");
                return Problems.Create(StatusCodes.Status403Forbidden, ProblemTypes.OutsideScope, "Outside your scope.",
                    $"{caller.Name} may not submit {submission.Operation} on {submission.Target ?? "no target"}: its scope is {string.Join(", ", caller.Scope.Patterns)}.",
                    [new("target", "Submit only within your scope, or ask an admin to widen it.")]);
            }

            var result = await jobs.SubmitAsync(submission, caller.Name, ct);
            await audit.RecordAsync(http, "submit", $"job {result.Job.JobId}", AuditTrail.Ok, $"{result.Job.Group}/{result.Job.Operation}{(result.Job.Target is null ? string.Empty : " on " + result.Job.Target)}");
            var location = $"/api/v1/jobs/{result.Job.JobId}";
            // A repeat of an earlier submit (same idempotency key) answers 200 with the job it made.
            return result.Created
                ? TypedResults.Accepted(location, ApiJson.Shown(result.Job))
                : Results.Json(ApiJson.Shown(result.Job), ApiJson.Options, statusCode: StatusCodes.Status200OK);
        }).RequireAuthorization(JobwrightPolicies.Operator)
            // Described, not enforced: Accepts() would let routing refuse other bodies before the handler names the problem.
            .AddOpenApiOperationTransformer(async (operation, context, ct) => operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(JobSubmission), null, ct) },
                },
            })
            .Answers<JobRecord>(StatusCodes.Status202Accepted, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable)
            .Answers<JobRecord>(StatusCodes.Status200OK);

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

            // A job outside the caller's scope does not exist for it: 404, so that ids do not leak.
            return job is null || !JobwrightCaller.From(request.HttpContext).CanSee(job) ? Problems.JobNotFound(jobId) : Results.Json(ApiJson.Shown(job), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Reader).Answers<JobRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        api.MapGet("/jobs", async (HttpRequest request, JobService jobs, CancellationToken ct) =>
        {
            var (query, problem) = QueryParsing.ListQuery(request.Query);
            if (problem is not null)
            {
                return problem;
            }

            var page = await ScopedJobs.ListAsync(jobs, query!, JobwrightCaller.From(request.HttpContext), ct);
            return Results.Json(
                new JobListResponse(page.Jobs.Select(ApiJson.Shown), page.NextBeforeId is { } next ? QueryParsing.EncodeCursor(next) : null),
                ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Reader).Answers<JobListResponse>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest);

        api.MapPost("/jobs/{id}/cancel", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                return problem!;
            }

            var caller = JobwrightCaller.From(http);
            if (await jobs.GetAsync(jobId, ct) is not { } job || !caller.CanCancel(job))
            {
                return Problems.JobNotFound(jobId);
            }

            var result = await jobs.CancelAsync(jobId, caller.Name, ct);
            await audit.RecordAsync(http, "cancel", $"job {jobId}", AuditTrail.Ok, result.Outcome.ToString());
            http.Response.Headers["Jobwright-Cancel"] = result.Outcome == CancelOutcome.CanceledBeforeStart ? "canceled-before-start" : "requested";
            return Results.Json(ApiJson.Shown(result.Job!), ApiJson.Options);
        }).RequireAuthorization(JobwrightPolicies.Operator).Answers<JobRecord>(StatusCodes.Status200OK, StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        api.MapDelete("/jobs/{id}", async (string id, HttpContext http, JobService jobs, AuditTrail audit, CancellationToken ct) =>
        {
            if (!QueryParsing.TryJobId(id, out var jobId, out var problem))
            {
                return problem!;
            }

            await jobs.DeleteAsync(jobId, ct);
            await audit.RecordAsync(http, "delete", $"job {jobId}", AuditTrail.Ok);
            return Results.NoContent();
        }).RequireAuthorization(JobwrightPolicies.Admin).Produces(StatusCodes.Status204NoContent).Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    private static IResult NotFound(long jobId) =>
        Problems.Create(StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "No such job.", $"There is no job {jobId}.", [new("jobId", $"No job has the id {jobId}; it may have been deleted.")]);
}
