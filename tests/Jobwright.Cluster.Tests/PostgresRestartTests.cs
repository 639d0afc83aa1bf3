using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Jobwright.Cluster.Tests;

/// <summary>
/// The database goes away under load (a restart, or every connection of the nodes cut by
/// pg_terminate_backend): submits fail fast with 503, no acknowledged job is lost, the nodes carry on by themselves.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Faults")]
    public async Task While_PostgreSQL_restarts_submits_fail_fast_with_503_no_acknowledged_job_is_lost_and_the_nodes_recover()
    {
        // A server of its own: this test stops it.
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await Cluster.CreateAsync(server);
        var nodes = await StartTwoAsync(cluster);
        await using var load = new SubmitLoad(nodes);

        // The waits bound how long the refusals may take: twenty of them within 30 s while the server is down.
        await load.AcknowledgedCount.WaitForAsync(100, TimeSpan.FromSeconds(30));
        await server.StopServerAsync();
        var downAt = load.AcknowledgedCount.Count;
        await load.RefusedCount.WaitForAsync(20, TimeSpan.FromSeconds(30));
        await server.StartServerAsync();
        await load.AcknowledgedCount.WaitForAsync(downAt + 100, TimeSpan.FromSeconds(60));
        await load.StopAsync();

        var refused = load.RefusalMilliseconds.Order().ToArray();
        output.WriteLine($"{load.Acknowledged.Count} acknowledged, {refused.Length} refused while down: p50 {refused[refused.Length / 2]:0.0} ms, max {refused[^1]:0.0} ms");
        await EveryAcknowledgedJobCompletesAsync(nodes, load);
        await BothNodesStillWorkAsync(nodes);
    }

    [Fact]
    [Trait("Category", "Faults")]
    public async Task When_pg_terminate_backend_cuts_every_connection_of_the_nodes_under_load_no_acknowledged_job_is_lost_and_the_nodes_recover()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = await StartTwoAsync(cluster);
        await using var load = new SubmitLoad(nodes);

        var cut = 0;
        for (var round = 1; round <= 5; round++)
        {
            // Each cut comes once 100 more jobs were acknowledged: the nodes have recovered from the last one.
            await load.AcknowledgedCount.WaitForAsync(round * 100, TimeSpan.FromSeconds(60));
            cut += await TerminateNodeConnectionsAsync(cluster);
        }

        await load.StopAsync();
        output.WriteLine($"{cut} connections cut in 5 rounds; {load.Acknowledged.Count} acknowledged, {load.RefusedCount.Count} refused with 503");
        Assert.True(cut > 0, "pg_terminate_backend cut no connection of the nodes");
        await EveryAcknowledgedJobCompletesAsync(nodes, load);
        await BothNodesStillWorkAsync(nodes);
    }

    private static async Task<NodeProcess[]> StartTwoAsync(Cluster cluster) =>
        [await cluster.StartNodeAsync("node-a", 16, "--samples"), await cluster.StartNodeAsync("node-b", 16, "--samples")];

    private static async Task<int> TerminateNodeConnectionsAsync(Cluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            connection);
        return (int)(long)(await terminate.ExecuteScalarAsync())!;
    }

    private async Task EveryAcknowledgedJobCompletesAsync(NodeProcess[] nodes, SubmitLoad load)
    {
        try
        {
            await Api.WaitForCountsAsync(nodes[0].Http, c => Api.Count(c, "NOT_STARTED", "RUNNING") == 0, TimeSpan.FromMinutes(1));
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("node-a:\n" + nodes[0].Output[^Math.Min(nodes[0].Output.Length, 6000)..] + "\nnode-b:\n" + nodes[1].Output[^Math.Min(nodes[1].Output.Length, 6000)..]);
            throw;
        }

        foreach (var id in load.Acknowledged)
        {
            var job = await Api.GetAsync(nodes[id % 2 == 0 ? 0 : 1].Http, id);
            Assert.True(Api.Status(job) == "COMPLETED_OK", $"job {id} is {Api.Status(job)}: {job["error"]?["message"]}");
        }
    }

    // Both nodes are still in the cluster and take work, without a restart.
    private static async Task BothNodesStillWorkAsync(NodeProcess[] nodes)
    {
        var live = (await nodes[0].Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Equal(["node-a", "node-b"], live.Select(n => n!["name"]!.GetValue<string>()));
        foreach (var node in nodes)
        {
            var id = await Api.SubmitAsync(node.Http, new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } });
            Assert.Equal("COMPLETED_OK", Api.Status(await Api.WaitForAsync(node.Http, id, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"))));
        }
    }
}
