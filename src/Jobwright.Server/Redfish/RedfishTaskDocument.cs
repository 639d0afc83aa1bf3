using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;

namespace Jobwright.Server.Redfish;

/// <summary>A job as a Redfish <c>Task</c> (Task v1.7): state and status by <see cref="RedfishTaskState"/>, times, progress, messages, sub-tasks, payload and <c>Oem.Jobwright</c>.</summary>
internal static class RedfishTaskDocument
{
    public static JsonObject Task(JobRecord job, string monitorId, OperationDefinition? operation, bool withOdataId = true)
    {
        var (state, status) = RedfishTaskState.Of(job);
        var task = new JsonObject { ["@odata.type"] = "#Task.v1_7_0.Task" };
        if (withOdataId)
        {
            task["@odata.id"] = RedfishPaths.Task(job.JobId);
        }

        task["Id"] = Id(job.JobId);
        task["Name"] = $"Job {job.JobId}: {job.Group}/{job.Operation}{(job.Target is null ? string.Empty : " on " + job.Target)}";
        task["TaskState"] = state;
        task["TaskStatus"] = status;
        if (job.TimeStarted is { } started)
        {
            task["StartTime"] = Time(started);
        }

        if (job.TimeCompleted is { } completed)
        {
            task["EndTime"] = Time(completed);
        }

        task["PercentComplete"] = Percent(job);
        task["TaskMonitor"] = RedfishPaths.Monitor(monitorId);
        task["Messages"] = new JsonArray([.. Messages(job)]);
        task["SubTasks"] = new JsonObject { ["@odata.id"] = RedfishPaths.Task(job.JobId) + "/SubTasks" };
        // A sensitive parameter is never shown, not even as "***" in a payload a client might resend.
        var hide = operation?.Parameters.Any(p => p.Sensitive) ?? false;
        task["HidePayload"] = hide;
        if (!hide)
        {
            task["Payload"] = new JsonObject
            {
                ["HttpOperation"] = "POST",
                ["TargetUri"] = RedfishActions.UriOf(job, operation),
                ["HttpHeaders"] = new JsonArray(),
                ["JsonBody"] = job.Parameters.ToJsonString(),
            };
        }

        task["Oem"] = new JsonObject { ["Jobwright"] = Oem(job) };
        return task;
    }

    public static string Id(long jobId) => jobId.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static int Percent(JobRecord job) => job.Status switch
    {
        JobStatus.CompletedOk or JobStatus.CompletedWithWarnings => 100,
        _ => (int)Math.Clamp(Math.Floor((job.Progress.Fraction ?? 0) * 100), 0, 100),
    };

    private static JsonObject Oem(JobRecord job)
    {
        var oem = new JsonObject
        {
            ["@odata.type"] = "#JobwrightTask.v1_0_0.JobwrightTask",
            ["jobId"] = job.JobId,
            ["status"] = job.Status.ToWire(),
            ["group"] = job.Group,
            ["operation"] = job.Operation,
            ["target"] = job.Target,
            ["submitter"] = job.Submitter,
            ["retryAfterSeconds"] = job.RetryAfterSeconds,
            ["retryOf"] = job.RetryOf,
            ["retriedBy"] = job.RetriedBy,
            ["job"] = $"/api/v1/jobs/{job.JobId}",
            ["hmcJob"] = $"/rest/api/uom/jobs/{job.JobId}",
        };
        if (job.NotStartedReason is { } reason)
        {
            oem["notStartedReason"] = new JsonObject { ["code"] = reason.Code, ["message"] = reason.Message, ["blockingJobId"] = reason.BlockingJobId };
        }

        if (job.Results.Count > 0)
        {
            oem["results"] = new JsonObject([.. job.Results.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))]);
        }

        return oem;
    }

    /// <summary>The lifecycle message of the TaskEvent registry, why it waits or failed, and the job's own messages.</summary>
    public static IEnumerable<JsonObject> Messages(JobRecord job)
    {
        var id = Id(job.JobId);
        switch (job.Status)
        {
            case JobStatus.NotStarted when job.NotStartedReason is { } reason:
                if (reason.Code is NotStartedReasonCodes.TargetBusy or NotStartedReasonCodes.OperationLimit)
                {
                    yield return RedfishMessages.Message(RedfishMessages.Base + "ResourceInUse", "The change to the requested resource failed because the resource is in use or in transition.", "Warning",
                        "The task starts by itself once the resource is free.");
                }

                yield return RedfishMessages.Message(RedfishMessages.Jobwright + reason.Code, reason.Message, "OK");
                break;
            case JobStatus.Running:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskStarted", $"The task with Id '{id}' has started.", "OK", null, id);
                break;
            case JobStatus.CompletedOk:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskCompletedOK", $"The task with Id '{id}' has completed.", "OK", null, id);
                break;
            case JobStatus.CompletedWithWarnings:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskCompletedWarning", $"The task with Id '{id}' has completed with warnings.", "Warning",
                    ManualIntervention, id);
                yield return RedfishMessages.Message(RedfishMessages.Jobwright + "ManualInterventionNeeded", ManualIntervention + Failed(job), "Warning",
                    ManualIntervention);
                break;
            case JobStatus.CompletedWithError or JobStatus.FailedToStart or JobStatus.FailedBeforeCompletion:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskAborted", $"The task with Id '{id}' has been aborted.", "Critical", null, id);
                yield return RedfishMessages.Message(RedfishMessages.Base + "OperationFailed", FailureText(job), "Critical",
                    $"See the job's tasks and results; rerun it with POST /api/v1/jobs/{id}/rerun once the cause is fixed.");
                break;
            case JobStatus.FailedBeforeCompletionRetry:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskAborted", $"The task with Id '{id}' has been aborted.", "Warning", null, id);
                yield return RedfishMessages.Message(RedfishMessages.Base + "ResourceInUse", "The change to the requested resource failed because the resource is in use or in transition.", "Warning",
                    job.RetriedBy is { } retry
                        ? $"Task {retry} retries it{(job.RetryAfterSeconds is { } s ? $" after {s} seconds" : string.Empty)}."
                        : $"Retry the request{(job.RetryAfterSeconds is { } seconds ? $" after {seconds} seconds" : " later")}.");
                break;
            case JobStatus.CanceledBeforeStart or JobStatus.CanceledWhileRunning:
                yield return RedfishMessages.Message(RedfishMessages.TaskEvent + "TaskCancelled", $"The task with Id '{id}' has been cancelled.", "Warning", null, id);
                break;
        }

        foreach (var message in job.Messages)
        {
            yield return RedfishMessages.Message(RedfishMessages.Jobwright + message.Code, message.Text, Severity(message.Severity));
        }
    }

    public const string ManualIntervention = "Manual intervention is needed: some of the job's tasks failed; complete, revert, rerun or acknowledge the job.";

    public static string FailureText(JobRecord job) =>
        job.Error?.Message ?? (job.Results.TryGetValue("result", out var result) ? result : $"The job ended {job.Status.ToWire()}.");

    private static string Failed(JobRecord job)
    {
        var failed = job.Progress.CompletedTasks.Where(t => t.Status == JobTaskStatus.Failed).Select(t => t.Name).ToArray();
        return failed.Length == 0 ? string.Empty : $" Failed: {string.Join("; ", failed)}.";
    }

    public static string Severity(MessageSeverity severity) => severity switch
    {
        MessageSeverity.Error => "Critical",
        MessageSeverity.Warning => "Warning",
        _ => "OK",
    };
}
