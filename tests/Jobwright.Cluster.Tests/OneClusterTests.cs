using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Cluster.Tests;

/// <summary>Any node answers for any job: events, the live nodes, and why a job has not started.</summary>
public sealed class OneClusterTests
{
    [Fact]
    public async Task Events_on_one_node_show_the_changes_a_job_goes_through_on_another()
    {
        await using var cluster = await Cluster.CreateAsync();
        // Only node-a serves the sample operations, so the job runs there while node-b streams it.
        var a = await cluster.StartNodeAsync("node-a", 16, "--samples");
        var b = await cluster.StartNodeAsync("node-b");
        // The first requests to a fresh node are slow (the JIT); the stream must open while the job
        // still runs, or it would show the end alone. A warm-up request and a 3 s job leave room.
        await b.Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes");
        var id = await Api.SubmitAsync(a.Http, new { operation = "Simulate", parameters = new { durationMs = 3000, tasks = 3 } });

        using var stream = await b.Http.GetStreamAsync($"/api/v1/jobs/{id}/events");
        using var reader = new StreamReader(stream);
        var statuses = new List<string>();
        var finishedTasks = new List<int>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && JsonNode.Parse(line[6..]) is JsonObject job && job["status"] is not null)
            {
                statuses.Add(Api.Status(job));
                finishedTasks.Add(job["progress"]!["completedTasks"]!.AsArray().Count);
            }
        }

        Assert.Equal("COMPLETED_OK", statuses[^1]);
        Assert.Contains("RUNNING", statuses);
        Assert.Equal(3, finishedTasks[^1]);
        Assert.Equal("node-a", (await Api.GetAsync(b.Http, id))["node"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_nodes_list_shows_live_nodes_and_a_job_no_live_node_serves_says_NO_NODE()
    {
        await using var cluster = await Cluster.CreateAsync();
        var a = await cluster.StartNodeAsync("node-a", 16, "--samples");
        var b = await cluster.StartNodeAsync("node-b");

        var nodes = (await b.Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Equal(["node-a", "node-b"], nodes.Select(n => n!["name"]!.GetValue<string>()));
        Assert.All(nodes, n => Assert.Equal("postgres", n!["store"]!.GetValue<string>()));
        Assert.Contains("Sample/Simulate", nodes[0]!["operations"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.DoesNotContain("Sample/Simulate", nodes[1]!["operations"]!.AsArray().Select(o => o!.GetValue<string>()));

        // Scheduled a little ahead (long enough for the node to stop on a busy machine), then the only
        // node that serves it leaves the cluster.
        var id = await Api.SubmitAsync(a.Http, new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddSeconds(6) });
        await a.StopAsync();
        var waiting = await Api.WaitForAsync(b.Http, id, j => j["notStartedReason"]?["code"]?.GetValue<string>() != "SCHEDULED");
        Assert.Equal("NOT_STARTED", Api.Status(waiting));
        Assert.Equal("NO_NODE", waiting["notStartedReason"]!["code"]!.GetValue<string>());
        Assert.Contains("Sample/Simulate", waiting["notStartedReason"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var left = (await b.Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Equal(["node-b"], left.Select(n => n!["name"]!.GetValue<string>()));

        // node-b never claims what it cannot run: the job waits for a node that can.
        await cluster.StartNodeAsync("node-c", 16, "--samples");
        var done = await Api.WaitForAsync(b.Http, id, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"));
        Assert.Equal("COMPLETED_OK", Api.Status(done));
        Assert.Equal("node-c", done["node"]!.GetValue<string>());
    }
}
