using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Microsoft.AspNetCore.Http;

namespace Jobwright.Server.Redfish;

/// <summary>
/// What a task monitor answers (DSP0266 "Asynchronous operations"): <c>202</c> with the Task while the job has not
/// ended, then the response the request would have had synchronously (docs/redfish.md, "Task monitors").
/// </summary>
internal static class RedfishTaskMonitor
{
    public const string Allow = "GET, DELETE";

    /// <summary>
    /// The 202 of a job not yet ended. No Retry-After: clients poll every second without one, sushy cannot sleep on an
    /// integer one and redfishtool cannot read a date; the Task's <c>@odata.id</c> is left out of the answer to the request
    /// that started the job, because sushy polls the URI a 202's body names instead of the monitor.
    /// </summary>
    public static IResult Accepted(HttpResponse response, JobRecord job, string monitorId, OperationDefinition? operation, bool startingRequest)
    {
        response.Headers.Location = RedfishPaths.Monitor(monitorId);
        return Polled(response, job, monitorId, operation, withOdataId: !startingRequest);
    }

    /// <summary>
    /// The 202 of a cancel requested of a running job: the Task, Cancelling, without a Location, so that a client does not
    /// wait on the monitor for the end it asked for (and then read the cancelled request's error as its DELETE's).
    /// </summary>
    public static IResult Cancelling(HttpResponse response, JobRecord job, string monitorId, OperationDefinition? operation) =>
        Polled(response, job, monitorId, operation, withOdataId: true);

    private static IResult Polled(HttpResponse response, JobRecord job, string monitorId, OperationDefinition? operation, bool withOdataId)
    {
        response.Headers.Allow = Allow;
        return RedfishJson.Result(RedfishTaskDocument.Task(job, monitorId, operation, withOdataId), StatusCodes.Status202Accepted);
    }

    public static IResult Answer(HttpResponse response, JobRecord job, string monitorId, OperationDefinition? operation)
    {
        if (!job.Status.IsTerminal())
        {
            return Accepted(response, job, monitorId, operation, startingRequest: false);
        }

        var id = RedfishTaskDocument.Id(job.JobId);
        switch (job.Status)
        {
            case JobStatus.CompletedOk:
                return RedfishJson.Result(Done(job, RedfishMessages.Message(RedfishMessages.Base + "Success", "The request completed successfully.", "OK")));
            case JobStatus.CompletedWithWarnings:
                return RedfishJson.Result(Done(job, [.. RedfishTaskDocument.Messages(job)]));
            case JobStatus.FailedBeforeCompletionRetry:
                var seconds = job.RetryAfterSeconds ?? 1;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return RedfishErrors.Error(503, RedfishMessages.Base + "ResourceInUse", $"The target was busy; task {id} did not complete. Retry after {seconds} seconds.",
                    [.. RedfishTaskDocument.Messages(job)]);
            case JobStatus.CanceledBeforeStart or JobStatus.CanceledWhileRunning:
                return RedfishErrors.Error(409, RedfishMessages.TaskEvent + "TaskCancelled", $"Task {id} was cancelled{(job.Status == JobStatus.CanceledBeforeStart ? " before it started" : " while running")}; the request was not completed.",
                    [.. RedfishTaskDocument.Messages(job)]);
            default:
                // COMPLETED_WITH_ERROR: the operation refused what was asked (400); FAILED_*: it broke (500).
                var status = job.Status == JobStatus.CompletedWithError ? 400 : 500;
                return RedfishErrors.Error(status, RedfishMessages.Base + "OperationFailed", RedfishTaskDocument.FailureText(job), [.. RedfishTaskDocument.Messages(job)]);
        }
    }

    // The synchronous answer of an action that worked: its results and what the job said.
    private static JsonObject Done(JobRecord job, params JsonObject[] messages) => new()
    {
        ["Id"] = RedfishTaskDocument.Id(job.JobId),
        ["Results"] = new JsonObject([.. job.Results.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]),
        ["@Message.ExtendedInfo"] = new JsonArray([.. messages]),
        ["Oem"] = new JsonObject { ["Jobwright"] = new JsonObject { ["status"] = job.Status.ToWire(), ["task"] = RedfishPaths.Task(job.JobId) } },
    };
}
