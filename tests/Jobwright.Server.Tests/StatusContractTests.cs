using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>Each of the ten statuses, reached through the JSON API of a real node on a real SQLite file.</summary>
public sealed class StatusContractTests
{
    private static object Simulate(object? parameters = null, string? target = null) =>
        new { operation = "Simulate", group = "Sample", target, parameters = parameters ?? new { durationMs = 60 } };

    [Fact]
    public async Task A_scheduled_job_is_NOT_STARTED_with_the_reason_SCHEDULED()
    {
        await using var node = await TestNode.StartAsync();
        var job = await node.SubmitAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Equal("NOT_STARTED", TestNode.Status(job));
        var read = await node.GetAsync(job["jobId"]!.GetValue<long>());
        Assert.Equal("SCHEDULED", read["notStartedReason"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_job_whose_handler_began_is_RUNNING_with_its_current_task()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 20000, tasks = 2 }));
        var running = await node.WaitUntilAsync(id, j => TestNode.Status(j) == "RUNNING" && j["progress"]!["currentTask"] is not null);
        Assert.Equal("Task 1 of 2", running["progress"]!["currentTask"]!["name"]!.GetValue<string>());
        Assert.NotNull(running["timeStarted"]);
        Assert.Equal("test-node", running["node"]!.GetValue<string>());
        await node.CancelAsync(id);
    }

    [Fact]
    public async Task A_job_whose_tasks_all_succeed_is_COMPLETED_OK_with_returnCode_0()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 60, tasks = 2 }));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        Assert.Equal("0", job["results"]!["returnCode"]!.GetValue<string>());
        Assert.Equal(["OK", "OK"], job["progress"]!["completedTasks"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));
        Assert.Equal(1.0, job["progress"]!["fraction"]!.GetValue<double>());
        Assert.Equal(["NOT_STARTED", "RUNNING", "COMPLETED_OK"], job["history"]!.AsArray().Select(h => h!["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Some_failing_tasks_make_COMPLETED_WITH_WARNINGS_and_completedTasks_says_which()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 60, tasks = 3, failTasks = "2" }));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(job));
        var tasks = job["progress"]!["completedTasks"]!.AsArray();
        Assert.Equal(["OK", "FAILED", "OK"], tasks.Select(t => t!["status"]!.GetValue<string>()));
        Assert.Equal("Task 2 of 3", tasks[1]!["name"]!.GetValue<string>());
        Assert.Contains("failed", tasks[1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_precondition_is_COMPLETED_WITH_ERROR_and_says_so()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 30, outcome = "precondition" }));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_WITH_ERROR", TestNode.Status(job));
        Assert.Contains(job["messages"]!.AsArray(), m => m!["code"]!.GetValue<string>() == "PRECONDITION_FAILED");
        Assert.Contains("precondition", job["results"]!["result"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_whose_tasks_all_fail_is_COMPLETED_WITH_ERROR()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 30, tasks = 2, failTasks = "1,2" }));
        Assert.Equal("COMPLETED_WITH_ERROR", TestNode.Status(await node.WaitForTerminalAsync(id)));
    }

    [Fact]
    public async Task A_handler_that_cannot_be_constructed_is_FAILED_TO_START()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(new { operation = "BrokenHandler" });
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_TO_START", TestNode.Status(job));
        Assert.Contains("could not be constructed", job["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(job["timeStarted"]);
    }

    [Fact]
    public async Task A_handler_that_throws_is_FAILED_BEFORE_COMPLETION_with_the_error_and_no_stack_trace()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 30, outcome = "throw" }));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_BEFORE_COMPLETION", TestNode.Status(job));
        Assert.Equal("simulated failure: the handler threw", job["error"]!["message"]!.GetValue<string>());
        Assert.Null(job["error"]!["stackTrace"]);
        Assert.Equal("simulated failure: the handler threw", job["results"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operation_timeout_ends_the_job_FAILED_BEFORE_COMPLETION()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(new { operation = "Hang", group = "Test" });
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_BEFORE_COMPLETION", TestNode.Status(job));
        Assert.Equal("timed out after 300ms", job["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_busy_target_is_FAILED_BEFORE_COMPLETION_RETRY_with_retryAfterSeconds()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 30, outcome = "busy" }, "vios-1"));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_BEFORE_COMPLETION_RETRY", TestNode.Status(job));
        Assert.Equal(30, job["retryAfterSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_VIOS_that_is_busy_at_claim_ends_the_next_job_FAILED_BEFORE_COMPLETION_RETRY_at_once()
    {
        await using var node = await TestNode.StartAsync();
        var holder = await node.SubmitIdAsync(new { operation = "PowerOn", group = "VirtualIOServer", target = "vios-2", parameters = new { durationMs = 20000, busyRate = 0 } });
        await node.WaitForStatusAsync(holder, "RUNNING");
        var second = await node.SubmitIdAsync(new { operation = "PowerOn", group = "VirtualIOServer", target = "vios-2", parameters = new { durationMs = 10 } });
        var job = await node.WaitForTerminalAsync(second);
        Assert.Equal("FAILED_BEFORE_COMPLETION_RETRY", TestNode.Status(job));
        Assert.Equal(30, job["retryAfterSeconds"]!.GetValue<int>());
        Assert.Contains($"job {holder}", job["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await node.CancelAsync(holder);
    }

    [Fact]
    public async Task Cancel_before_start_is_CANCELED_BEFORE_START_and_the_handler_never_runs()
    {
        await using var node = await TestNode.StartAsync();
        var log = node.Services.GetRequiredService<ProbeLog>();
        var holder = await node.SubmitIdAsync(new { operation = "Probe", group = "Test", target = "t1" });
        await log.For(log.Started, holder).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = await node.SubmitIdAsync(new { operation = "Probe", group = "Test", target = "t1" });
        Assert.Equal("NOT_STARTED", TestNode.Status(await node.GetAsync(waiting)));

        var canceled = await node.CancelAsync(waiting);
        Assert.Equal("CANCELED_BEFORE_START", TestNode.Status(canceled));
        log.Gate.TrySetResult();
        Assert.Equal("COMPLETED_OK", TestNode.Status(await node.WaitForTerminalAsync(holder)));

        var job = await node.GetAsync(waiting);
        Assert.Equal("CANCELED_BEFORE_START", TestNode.Status(job));
        Assert.Null(job["timeStarted"]);
        Assert.DoesNotContain(job["history"]!.AsArray(), h => h!["to"]!.GetValue<string>() == "RUNNING");
        Assert.False(log.Started.ContainsKey(waiting));
    }

    [Fact]
    public async Task Cancel_of_a_running_job_that_observes_its_token_is_CANCELED_WHILE_RUNNING()
    {
        await using var node = await TestNode.StartAsync();
        var log = node.Services.GetRequiredService<ProbeLog>();
        var id = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await log.For(log.Started, id).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var afterCancel = await node.CancelAsync(id);
        Assert.True(afterCancel["cancelRequested"]!.GetValue<bool>());
        await log.For(log.TokenFired, id).Task.WaitAsync(TimeSpan.FromSeconds(5));
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("CANCELED_WHILE_RUNNING", TestNode.Status(job));
        Assert.Equal("CANCELED", job["progress"]!["completedTasks"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("anonymous", job["history"]!.AsArray()[^1]!["actor"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_handler_that_ignores_cancel_and_finishes_keeps_its_outcome_with_cancelRequested()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 800, tasks = 2, ignoreCancel = true }));
        await node.WaitForStatusAsync(id, "RUNNING");
        var afterCancel = await node.CancelAsync(id);
        Assert.Equal("RUNNING", TestNode.Status(afterCancel));
        Assert.True(afterCancel["cancelRequested"]!.GetValue<bool>());
        var job = await node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        Assert.True(job["cancelRequested"]!.GetValue<bool>());
        Assert.Contains(job["messages"]!.AsArray(), m => m!["code"]!.GetValue<string>() == "CANCEL_TOO_LATE");
    }

    [Fact]
    public async Task Cancel_of_a_finished_job_is_a_conflict_and_changes_nothing()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(Simulate(new { durationMs = 10, tasks = 1 }));
        var done = await node.WaitForTerminalAsync(id);
        var response = await node.Http.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(done["version"]!.GetValue<long>(), (await node.GetAsync(id))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_second_job_on_a_busy_target_reports_the_job_that_holds_it()
    {
        await using var node = await TestNode.StartAsync();
        var first = await node.SubmitIdAsync(new { operation = "PowerOn", group = "LogicalPartition", target = "lpar-3", parameters = new { durationMs = 20000 } });
        await node.WaitForStatusAsync(first, "RUNNING");
        var submitted = await node.SubmitAsync(new { operation = "PowerOff", group = "LogicalPartition", target = "lpar-3" });
        // The submit's own answer says so (the store saw the target held in the submit's write) …
        Assert.Equal("TARGET_BUSY", submitted["notStartedReason"]!["code"]!.GetValue<string>());
        Assert.Equal(first, submitted["notStartedReason"]!["blockingJobId"]!.GetValue<long>());
        // … and a job on a free target is answered QUEUED without reading any holder.
        var free = await node.SubmitAsync(new { operation = "PowerOff", group = "LogicalPartition", target = "lpar-4" });
        Assert.Equal("QUEUED", free["notStartedReason"]!["code"]!.GetValue<string>());
        var second = submitted["jobId"]!.GetValue<long>();
        var job = await node.GetAsync(second);
        Assert.Equal("NOT_STARTED", TestNode.Status(job));
        var reason = job["notStartedReason"]!;
        Assert.Equal("TARGET_BUSY", reason["code"]!.GetValue<string>());
        Assert.Equal(first, reason["blockingJobId"]!.GetValue<long>());
        Assert.Contains($"held by job {first} (RUNNING for", reason["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("LogicalPartition/lpar-3", reason["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await node.CancelAsync(first);
        await node.WaitForStatusAsync(first, "CANCELED_WHILE_RUNNING");
        Assert.NotEqual("NOT_STARTED", TestNode.Status(await node.WaitUntilAsync(second, j => TestNode.Status(j) != "NOT_STARTED")));
        await node.CancelAsync(second);
    }

    [Fact]
    public async Task A_node_runs_no_more_handlers_at_once_than_its_worker_slots_and_a_freed_slot_takes_the_next_job()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 2 });
        var log = node.Services.GetRequiredService<SlotLog>();
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await node.SubmitIdAsync(new { operation = "Slot", group = "Test" }));
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var started = new List<long> { await log.Started.Reader.ReadAsync(limit.Token), await log.Started.Reader.ReadAsync(limit.Token) };
        while (started.Count < ids.Count)
        {
            // Both slots are taken: the next job starts only once one handler is let go.
            Assert.False(log.Started.Reader.TryRead(out _), "a third handler started while two held both slots");
            log.EndOne.Release();
            started.Add(await log.Started.Reader.ReadAsync(limit.Token));
        }

        log.EndOne.Release(2);
        foreach (var id in ids)
        {
            Assert.Equal("COMPLETED_OK", TestNode.Status(await node.WaitForTerminalAsync(id)));
        }

        Assert.Equal(2, log.Most);
        Assert.Equal(ids.Order(), started.Order());
    }

    [Fact]
    public async Task Queued_jobs_say_how_many_are_ahead_when_every_worker_slot_is_busy()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var log = node.Services.GetRequiredService<ProbeLog>();
        var busy = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await log.For(log.Started, busy).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        var third = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        var reason = (await node.GetAsync(third))["notStartedReason"]!;
        Assert.Equal("QUEUED", reason["code"]!.GetValue<string>());
        Assert.Equal("all 1 worker slots are busy; 1 job ahead", reason["message"]!.GetValue<string>());
        log.Gate.TrySetResult();
        Assert.Equal("COMPLETED_OK", TestNode.Status(await node.WaitForTerminalAsync(third)));
        Assert.Equal("COMPLETED_OK", TestNode.Status(await node.WaitForTerminalAsync(second)));
    }

    [Fact]
    public async Task Stopping_the_node_interrupts_a_job_that_outlives_the_grace_period()
    {
        var node = await TestNode.StartAsync();
        var log = node.Services.GetRequiredService<ProbeLog>();
        var id = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await log.For(log.Started, id).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var store = node.Services.GetRequiredService<Jobwright.Storage.IJobStore>();
        await node.StopAsync();
        var job = await store.GetAsync(id, true, CancellationToken.None);
        Assert.Equal(Jobwright.Status.JobStatus.FailedBeforeCompletion, job!.Status);
        Assert.Equal("interrupted: node stopped", job.Error!.Message);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task A_task_stopped_by_the_node_s_stop_says_it_was_interrupted_not_canceled()
    {
        var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 600_000, tasks = 1 } });
        await node.WaitForStatusAsync(id, "RUNNING");
        var store = node.Services.GetRequiredService<Jobwright.Storage.IJobStore>();
        await node.StopAsync();
        var job = await store.GetAsync(id, true, CancellationToken.None);
        var task = Assert.Single(job!.Progress.CompletedTasks);
        Assert.Equal(Jobwright.Status.JobTaskStatus.Canceled, task.Status);
        Assert.Equal("interrupted: node stopped", task.Message);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task An_idempotent_resubmit_returns_the_first_job_with_200()
    {
        await using var node = await TestNode.StartAsync();
        var first = await node.SubmitAsync(new { operation = "Simulate", idempotencyKey = "abc-1", parameters = new { durationMs = 10 } });
        var again = await node.Http.PostAsync("/api/v1/jobs", new StringContent("{\"operation\":\"Simulate\",\"idempotencyKey\":\"abc-1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first["jobId"]!.GetValue<long>(), JsonNode.Parse(await again.Content.ReadAsStringAsync())!["jobId"]!.GetValue<long>());
        Assert.Equal(1, await node.CountJobsAsync());
    }
}
