using Jobwright.Engine;
using Jobwright.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Jobwright.Server.Api;

/// <summary>RFC 9457 problem details, each naming the fields that are wrong.</summary>
internal static class Problems
{
    public static IResult Create(int status, string type, string title, string detail, IReadOnlyList<FieldError>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToArray();
        }

        return new ProblemInTheApisDialect(TypedResults.Problem(problem), status, type, detail, errors);
    }

    // Under /rest/api/ the same refusal is an HMC HttpErrorResponse (Hmc.HmcPaths): the HMC's clients parse every body there as XML.
    // Under /redfish/ it is a Redfish error response (Redfish.RedfishPaths), for the same reason.
    private sealed class ProblemInTheApisDialect(IResult problem, int status, string type, string detail, IReadOnlyList<FieldError>? errors) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (Redfish.RedfishPaths.Covers(httpContext.Request.Path))
            {
                return Redfish.RedfishErrors.FromProblem(status, type, detail, errors).ExecuteAsync(httpContext);
            }

            if (!Hmc.HmcPaths.Covers(httpContext.Request.Path))
            {
                return problem.ExecuteAsync(httpContext);
            }

            var fields = errors is { Count: > 0 } ? " " + string.Join(" ", errors.Where(e => !detail.Contains(e.Message, StringComparison.Ordinal)).Select(e => $"[{e.Field}] {e.Message}")) : string.Empty;
            return Hmc.HmcResponses.Error(httpContext.Request, status, Hmc.HmcPaths.Reason(status), detail + fields.TrimEnd()).ExecuteAsync(httpContext);
        }
    }

    public static IResult Invalid(string field, string message) =>
        Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The request is invalid.", message, [new(field, message)]);

    public static IResult JobNotFound(long jobId) => Create(
        StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "No such job.", $"There is no job {jobId}.",
        [new("jobId", $"No job has the id {jobId}; it may have been deleted.")]);

    /// <summary>Tells the client when to try again, for a refusal that says (a full queue); both APIs answer with it.</summary>
    public static void SetRetryAfter(HttpResponse response, JobRequestException exception)
    {
        if (exception.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static IResult From(JobRequestException exception) => exception.Kind switch
    {
        JobProblemKind.UnknownOperation => Create(StatusCodes.Status404NotFound, ProblemTypes.UnknownOperation, "Unknown operation.", exception.Message, exception.Errors),
        JobProblemKind.JobNotFound => Create(StatusCodes.Status404NotFound, ProblemTypes.JobNotFound, "No such job.", exception.Message, exception.Errors),
        JobProblemKind.ScheduleNotFound => Create(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such schedule.", exception.Message, exception.Errors),
        JobProblemKind.Conflict => Create(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "The job's status does not allow this.", exception.Message, exception.Errors),
        JobProblemKind.QueueFull => Create(StatusCodes.Status503ServiceUnavailable, ProblemTypes.QueueFull, "The queue is full; try again shortly.", exception.Message, exception.Errors),
        _ => Create(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "The request is invalid.", exception.Message, exception.Errors),
    };
}
