using System.Net.Http.Json;
using Jobwright.PostgreSql;
using Jobwright.Storage;

namespace Jobwright.Cluster.Tests;

/// <summary>A node that dies or freezes loses its jobs to the cluster, once, and can change nothing after.</summary>
public sealed class NodeLossTests
{
    [Fact]
    public async Task A_killed_node_s_running_jobs_end_FAILED_BEFORE_COMPLETION_within_the_lease_and_its_claimed_jobs_run_on_another_node()
    {
        await using var cluster = await Cluster.CreateAsync();
        var a = await cluster.StartNodeAsync("node-a", workers: 3);
        var running = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            running.Add(await Api.SubmitAsync(a.Http, new { operation = "Sleep", group = "Cluster", parameters = new { seconds = 30 } }));
        }

        foreach (var id in running)
        {
            await Api.WaitForAsync(a.Http, id, j => Api.Status(j) == "RUNNING");
        }

        // node-a's slots are full, so these wait; then they are claimed under node-a's name the way its
        // dispatcher claims, and never begun: the state a node dies in between a claim and a start.
        var runs = Path.Combine(cluster.Directory, "runs.txt");
        var claimedOnly = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            claimedOnly.Add(await Api.SubmitAsync(a.Http, new { operation = "Record", group = "Cluster", parameters = new { marker = i, file = runs } }));
        }

        await using (var store = new PostgresJobStore(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString }, TimeProvider.System, new JobChangeFeed()))
        {
            await store.InitializeAsync(CancellationToken.None);
            var claimed = await store.ClaimAsync("node-a", 10, CancellationToken.None);
            Assert.Equal(claimedOnly, claimed.Select(c => c.Job.JobId));
        }

        var b = await cluster.StartNodeAsync("node-b");
        await a.KillAsync();

        foreach (var id in running)
        {
            // How soon is measured by the cluster kill rounds (printed there); this test holds what happens.
            var job = await Api.WaitForAsync(b.Http, id, j => Api.Status(j) != "RUNNING", TimeSpan.FromMinutes(2));
            Assert.Equal("FAILED_BEFORE_COMPLETION", Api.Status(job));
            Assert.Contains("node-a", job["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        foreach (var id in claimedOnly)
        {
            var job = await Api.WaitForAsync(b.Http, id, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"));
            Assert.Equal("COMPLETED_OK", Api.Status(job));
            Assert.Equal("node-b", job["node"]!.GetValue<string>());
        }

        Assert.Equal(["0", "1", "2"], (await File.ReadAllLinesAsync(runs)).Order());
        var nodes = (await b.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Equal(["node-b"], nodes.Select(n => n!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_frozen_node_past_its_lease_is_rescued_and_its_late_progress_and_completion_are_refused()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = new[] { await cluster.StartNodeAsync("node-a"), await cluster.StartNodeAsync("node-b") };
        // The program outlives the freeze (it is not the node's process), so the node wakes to a finished step.
        var id = await Api.SubmitAsync(nodes[0].Http, new { operation = "Sleep", group = "Cluster", parameters = new { seconds = 2 } });
        var runner = (await Api.WaitForAsync(nodes[0].Http, id, j => Api.Status(j) == "RUNNING"))["node"]!.GetValue<string>();
        // Whichever node claimed it is frozen; the other one rescues it.
        var (a, b) = runner == "node-a" ? (nodes[0], nodes[1]) : (nodes[1], nodes[0]);

        await a.PauseAsync();
        var rescued = await Api.WaitForAsync(b.Http, id, j => Api.Status(j) != "RUNNING", TimeSpan.FromMinutes(2));
        Assert.Equal("FAILED_BEFORE_COMPLETION", Api.Status(rescued));
        Assert.Contains(runner, rescued["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await a.ResumeAsync();
        await a.WaitForOutputAsync("the store refused the outcome", TimeSpan.FromSeconds(30));

        var after = await Api.GetAsync(b.Http, id);
        Assert.Equal("FAILED_BEFORE_COMPLETION", Api.Status(after));
        Assert.Equal(rescued["version"]!.GetValue<long>(), after["version"]!.GetValue<long>());
        Assert.Equal("recovery", after["history"]!.AsArray()[^1]!["actor"]!.GetValue<string>());
        Assert.Equal(1L, await cluster.ScalarAsync<long>($"SELECT count(*) FROM job_transitions WHERE job_id = {id} AND to_status NOT IN ('NOT_STARTED', 'RUNNING')"));

        // The node rejoined the cluster and answers again.
        await a.WaitForOutputAsync($"Node {runner} rejoined the cluster", TimeSpan.FromSeconds(30));
        var live = (await b.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Contains(live, n => n!["name"]!.GetValue<string>() == runner);

        var next = await Api.SubmitAsync(a.Http, new { operation = "Sleep", group = "Cluster", parameters = new { seconds = 0 } });
        Assert.Equal("COMPLETED_OK", Api.Status(await Api.WaitForAsync(a.Http, next, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"))));
    }
}
