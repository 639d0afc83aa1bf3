using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Server.Redfish;

/// <summary>A job's tasks as the Task's <c>SubTasks</c>: each finished task, then the one running now, numbered from 1.</summary>
internal static class RedfishSubTasks
{
    public static JsonObject Collection(JobRecord job)
    {
        var members = All(job).Select((_, i) => (JsonNode)new JsonObject { ["@odata.id"] = Uri(job.JobId, i + 1) }).ToArray();
        return new JsonObject
        {
            ["@odata.type"] = "#TaskCollection.TaskCollection",
            ["@odata.id"] = RedfishPaths.Task(job.JobId) + "/SubTasks",
            ["Name"] = $"Tasks of job {job.JobId}",
            ["Members@odata.count"] = members.Length,
            ["Members"] = new JsonArray(members),
        };
    }

    /// <summary>The sub-task numbered <paramref name="number"/> (from 1), or null when the job has none such.</summary>
    public static JsonObject? Member(JobRecord job, int number)
    {
        var all = All(job);
        if (number < 1 || number > all.Count)
        {
            return null;
        }

        var (name, state, status, started, ended, percent, message) = all[number - 1];
        var task = new JsonObject
        {
            ["@odata.type"] = "#Task.v1_7_0.Task",
            ["@odata.id"] = Uri(job.JobId, number),
            ["Id"] = number.ToString(CultureInfo.InvariantCulture),
            ["Name"] = name,
            ["TaskState"] = state,
            ["TaskStatus"] = status,
            ["PercentComplete"] = percent,
            ["Messages"] = new JsonArray(message is null ? [] : [RedfishMessages.Message(RedfishMessages.Jobwright + "TaskMessage", message, status)]),
        };
        if (started is { } s)
        {
            task["StartTime"] = RedfishTaskDocument.Time(s);
        }

        if (ended is { } e)
        {
            task["EndTime"] = RedfishTaskDocument.Time(e);
        }

        return task;
    }

    private static string Uri(long jobId, int number) => $"{RedfishPaths.Task(jobId)}/SubTasks/{number}";

    private static List<(string Name, string State, string Status, DateTimeOffset? Started, DateTimeOffset? Ended, int Percent, string? Message)> All(JobRecord job)
    {
        var all = job.Progress.CompletedTasks.Select(t =>
        {
            var (state, status) = t.Status switch
            {
                JobTaskStatus.Ok or JobTaskStatus.Skipped => ("Completed", "OK"),
                JobTaskStatus.Warning => ("Completed", "Warning"),
                JobTaskStatus.Failed => ("Exception", "Critical"),
                _ => ("Cancelled", "Warning"),
            };
            return (t.Name, state, status, t.TimeStarted, t.TimeCompleted, 100, t.Message);
        }).ToList();
        if (job.Progress.CurrentTask is { } current && job.Status == JobStatus.Running)
        {
            all.Add((current.Name, job.CancelRequested ? "Cancelling" : "Running", "OK", current.TimeStarted, null, current.Percent ?? 0, null));
        }

        return all;
    }
}
