using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>Server-sent events and the long-poll show every change without polling.</summary>
public sealed class EventsAndLongPollTests
{
    [Fact]
    public async Task The_job_event_stream_shows_each_task_as_it_finishes_and_ends_with_the_terminal_status()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 900, tasks = 3 } });
        using var response = await node.Http.GetAsync($"/api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var records = new List<JsonObject>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            if (item.EventType == "job")
            {
                records.Add(JsonNode.Parse(item.Data)!.AsObject());
            }
        }

        Assert.Equal("COMPLETED_OK", TestNode.Status(records[^1]));
        // Events are coalesced (a slow reader gets the latest state), so assert growth, not every step.
        var finishedCounts = records.Select(r => r["progress"]!["completedTasks"]!.AsArray().Count).Distinct().ToList();
        Assert.Equal(finishedCounts.Order(), finishedCounts);
        Assert.Equal(3, finishedCounts[^1]);
        Assert.Contains(finishedCounts, c => c is 1 or 2);
        Assert.Contains(records, r => r["progress"]!["currentTask"]?["percent"] is not null);
    }

    [Fact]
    public async Task The_all_jobs_stream_shows_jobs_submitted_after_it_opened()
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("ready", events.Current.EventType);
        var id = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 50, tasks = 1 } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (events.Current.EventType == "job" && JsonNode.Parse(events.Current.Data)!["jobId"]!.GetValue<long>() == id &&
                TestNode.Status(JsonNode.Parse(events.Current.Data)!.AsObject()) == "COMPLETED_OK")
            {
                return;
            }
        }

        Assert.Fail("the stream ended before the job completed");
    }

    [Fact]
    public async Task A_long_poll_returns_as_soon_as_the_job_changes()
    {
        await using var node = await TestNode.StartAsync();
        var log = node.Services.GetRequiredService<ProbeLog>();
        var id = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        var running = await node.WaitForStatusAsync(id, "RUNNING");
        var poll = node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=60s&version={running["version"]}");
        Assert.False(poll.IsCompleted);
        log.Gate.TrySetResult();
        var changed = await poll.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(changed!["version"]!.GetValue<long>() > running["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_long_poll_on_a_finished_job_returns_at_once()
    {
        await using var node = await TestNode.StartAsync();
        var id = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10, tasks = 1 } });
        var done = await node.WaitForTerminalAsync(id);
        var again = await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=60s&version={done["version"]}")
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(done["version"]!.GetValue<long>(), again!["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_list_pages_with_a_cursor_and_filters_by_status()
    {
        await using var node = await TestNode.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) }));
        }

        await node.CancelAsync(ids[0]);
        var first = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/jobs?limit=3");
        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), first!["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<long>()));
        var second = await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs?limit=3&cursor={first["nextCursor"]}");
        Assert.Equal([ids[1], ids[0]], second!["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<long>()));
        Assert.Null(second["nextCursor"]);
        var canceled = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/jobs?status=CANCELED_BEFORE_START,COMPLETED_OK");
        Assert.Equal([ids[0]], canceled!["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<long>()));
        var scheduled = first["jobs"]!.AsArray()[0]!["notStartedReason"]!["code"]!.GetValue<string>();
        Assert.Equal("SCHEDULED", scheduled);
    }

    [Fact]
    public async Task Operations_node_health_and_metrics_answer()
    {
        await using var node = await TestNode.StartAsync();
        var operations = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/operations");
        var simulate = operations!["operations"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "Simulate")!;
        Assert.Equal(["durationMs", "tasks", "failTasks", "outcome", "ignoreCancel"], simulate["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var powerOff = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/operations/PowerOff");
        Assert.Equal(["operation", "immediate", "restart", "durationMs"], powerOff!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var self = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/node");
        Assert.Equal("test-node", self!["name"]!.GetValue<string>());
        Assert.Equal("sqlite", self["store"]!.GetValue<string>());
        Assert.Equal(4, self["workerSlots"]!.GetValue<int>());
        var nodes = await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes");
        Assert.Single(nodes!["nodes"]!.AsArray());
        Assert.Equal("ok", (await node.Http.GetFromJsonAsync<JsonObject>("/healthz"))!["status"]!.GetValue<string>());
        await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        // The values are checked on a node of its own process (MetricsScrapeTests): this process holds many nodes' meters.
        var metrics = await node.Http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE jobwright_jobs gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE jobwright_worker_slots gauge", metrics, StringComparison.Ordinal);
    }
}
