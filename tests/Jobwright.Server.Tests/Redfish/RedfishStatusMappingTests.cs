using System.Net;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;
using static Jobwright.Server.Tests.Redfish.RedfishHttp;

namespace Jobwright.Server.Tests.Redfish;

/// <summary>Every row of docs/redfish.md's status mapping, read through the Task resource and the task monitor.</summary>
public sealed class RedfishStatusMappingTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    private HttpClient Http => _node.Http;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("COMPLETED_OK", """{"durationMs": 20}""", "Completed", "OK", 200, "TaskEvent.1.0.TaskCompletedOK")]
    [InlineData("COMPLETED_WITH_WARNINGS", """{"durationMs": 20, "failTasks": "2"}""", "Completed", "Warning", 200, "TaskEvent.1.0.TaskCompletedWarning Jobwright.1.0.ManualInterventionNeeded")]
    [InlineData("COMPLETED_WITH_ERROR", """{"durationMs": 20, "outcome": "rerun"}""", "Exception", "Critical", 400, "TaskEvent.1.0.TaskAborted Base.1.19.OperationFailed")]
    [InlineData("FAILED_BEFORE_COMPLETION", """{"durationMs": 20, "outcome": "throw"}""", "Exception", "Critical", 500, "TaskEvent.1.0.TaskAborted Base.1.19.OperationFailed")]
    [InlineData("FAILED_BEFORE_COMPLETION_RETRY", """{"durationMs": 20, "outcome": "busy"}""", "Exception", "Warning", 503, "TaskEvent.1.0.TaskAborted Base.1.19.ResourceInUse")]
    public async Task An_ended_job_maps_to_its_TaskState_and_TaskStatus_and_its_monitor_answers_as_the_request_would_have(
        string status, string parameters, string taskState, string taskStatus, int monitorStatus, string messageIds)
    {
        var (monitor, jobId) = await RunAsync(Http, "Sample", "Simulate", parameters);
        var record = await _node.WaitForTerminalAsync(jobId);
        var task = await AssertTaskAsync(jobId, status, taskState, taskStatus);
        Assert.StartsWith(messageIds, MessageIds(task.Body), StringComparison.Ordinal);
        Assert.NotNull(task.Body["StartTime"]);
        Assert.NotNull(task.Body["EndTime"]);

        var final = await GetAsync(Http, monitor);
        Assert.Equal(monitorStatus, (int)final.Status);
        if (monitorStatus == 200)
        {
            // The results the job left, as the JSON API shows them.
            Assert.Equal(record["results"]!.ToJsonString(), final.Body["Results"]!.ToJsonString());
            Assert.StartsWith(messageIds.Split(' ')[0] == "TaskEvent.1.0.TaskCompletedOK" ? "Base.1.19.Success" : messageIds, MessageIds(final.Body, "@Message.ExtendedInfo"), StringComparison.Ordinal);
        }
        else
        {
            // A Redfish error response, never problem details.
            Assert.False(string.IsNullOrEmpty(final.Body["error"]!["code"]!.GetValue<string>()));
            Assert.NotEmpty(final.Body["error"]!["@Message.ExtendedInfo"]!.AsArray());
            Assert.Equal(monitorStatus == 503, final.Response.Headers.RetryAfter is not null);
        }

        if (status == "COMPLETED_WITH_WARNINGS")
        {
            Assert.Contains("Manual intervention is needed", task.Body.ToJsonString(), StringComparison.Ordinal);
        }

        if (status == "FAILED_BEFORE_COMPLETION_RETRY")
        {
            var oem = task.Body["Oem"]!["Jobwright"]!;
            Assert.Equal(30, oem["retryAfterSeconds"]!.GetValue<int>());
            Assert.Equal(final.Response.Headers.RetryAfter!.Delta, TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task FAILED_TO_START_maps_to_Exception_Critical()
    {
        var (monitor, jobId) = await RunAsync(Http, "Sample", "BrokenHandler", "{}");
        await _node.WaitForTerminalAsync(jobId);
        var task = await AssertTaskAsync(jobId, "FAILED_TO_START", "Exception", "Critical");
        Assert.DoesNotContain("Interrupted", task.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, (await GetAsync(Http, monitor)).Status);
    }

    [Fact]
    public async Task NOT_STARTED_is_New_while_queued_and_Pending_behind_a_busy_target_or_a_time_and_both_cancels_are_Cancelled()
    {
        // Target t1 busy: a second job on it is Pending (TARGET_BUSY), with Base's ResourceInUse.
        var (runningMonitor, running) = await RunAsync(Http, "Sample", "Simulate", """{"durationMs": 60000}""", target: "t1");
        await _node.WaitForStatusAsync(running, "RUNNING");
        var runningTask = await AssertTaskAsync(running, "RUNNING", "Running", "OK");
        Assert.Contains("TaskEvent.1.0.TaskStarted", MessageIds(runningTask.Body), StringComparison.Ordinal);
        var polled = await GetAsync(Http, runningMonitor);
        Assert.Equal(HttpStatusCode.Accepted, polled.Status);
        Assert.Equal("Running", polled.Body["TaskState"]!.GetValue<string>());
        Assert.Null(polled.Response.Headers.RetryAfter);
        Assert.Equal("GET, DELETE", string.Join(", ", polled.Response.Content.Headers.Allow));

        var (busyMonitor, busy) = await RunAsync(Http, "Sample", "Simulate", """{"durationMs": 10}""", target: "t1");
        var busyTask = await AssertTaskAsync(busy, "NOT_STARTED", "Pending", "OK");
        Assert.Equal("Base.1.19.ResourceInUse Jobwright.1.0.TARGET_BUSY", MessageIds(busyTask.Body));
        Assert.Null(busyTask.Body["StartTime"]);
        Assert.Equal("TARGET_BUSY", busyTask.Body["Oem"]!["Jobwright"]!["notStartedReason"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync(Http, busyMonitor)).Status);

        // A job that may not start yet is Pending (SCHEDULED).
        var scheduled = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10 }, notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var scheduledTask = await AssertTaskAsync(scheduled, "NOT_STARTED", "Pending", "OK");
        Assert.Equal("Jobwright.1.0.SCHEDULED", MessageIds(scheduledTask.Body));

        // Cancelled before it started: no StartTime; the monitor's DELETE cancels it at once (204).
        var deleted = await DeleteAsync(Http, busyMonitor);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        var canceledBefore = await AssertTaskAsync(busy, "CANCELED_BEFORE_START", "Cancelled", "Warning");
        Assert.Null(canceledBefore.Body["StartTime"]);
        Assert.Equal("TaskEvent.1.0.TaskCancelled", MessageIds(canceledBefore.Body));
        var afterCancel = await GetAsync(Http, busyMonitor);
        Assert.Equal(HttpStatusCode.Conflict, afterCancel.Status);
        Assert.Equal("TaskEvent.1.0.TaskCancelled", afterCancel.Body["error"]!["code"]!.GetValue<string>());

        // Cancelled while running: the DELETE answers 202 with the Task Cancelling (the handler stops at its next step).
        var cancelRunning = await DeleteAsync(Http, runningMonitor);
        Assert.Equal(HttpStatusCode.Accepted, cancelRunning.Status);
        Assert.Equal("Cancelling", cancelRunning.Body["TaskState"]!.GetValue<string>());
        await _node.WaitForTerminalAsync(running);
        var canceledWhile = await AssertTaskAsync(running, "CANCELED_WHILE_RUNNING", "Cancelled", "Warning");
        Assert.NotNull(canceledWhile.Body["StartTime"]);

        // A cancel of an ended job changes nothing and says why, as a Redfish error.
        var again = await DeleteAsync(Http, runningMonitor);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("cannot be canceled", again.Body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_waiting_only_for_a_worker_is_New_and_a_running_job_asked_to_cancel_is_Cancelling()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var (_, holding) = await RunAsync(node.Http, "Sample", "Simulate", """{"durationMs": 60000, "ignoreCancel": true}""", target: "a");
        await node.WaitForStatusAsync(holding, "RUNNING");
        var (_, queued) = await RunAsync(node.Http, "Sample", "Simulate", """{"durationMs": 10}""", target: "b");
        var task = (await GetAsync(node.Http, $"/redfish/v1/TaskService/Tasks/{queued}")).Body;
        Assert.Equal("New", task["TaskState"]!.GetValue<string>());
        Assert.Equal("Jobwright.1.0.QUEUED", MessageIds(task));

        await node.CancelAsync(holding);
        var cancelling = (await GetAsync(node.Http, $"/redfish/v1/TaskService/Tasks/{holding}")).Body;
        Assert.Equal("Cancelling", cancelling["TaskState"]!.GetValue<string>());
        Assert.Equal("RUNNING", cancelling["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
    }

    private async Task<Answer> AssertTaskAsync(long jobId, string status, string taskState, string taskStatus)
    {
        var task = await GetAsync(Http, $"/redfish/v1/TaskService/Tasks/{jobId}");
        Assert.Equal(HttpStatusCode.OK, task.Status);
        Assert.Equal(status, task.Body["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
        Assert.Equal(taskState, task.Body["TaskState"]!.GetValue<string>());
        Assert.Equal(taskStatus, task.Body["TaskStatus"]!.GetValue<string>());
        Assert.Equal($"/redfish/v1/TaskService/Tasks/{jobId}", task.Body["@odata.id"]!.GetValue<string>());
        return task;
    }
}
