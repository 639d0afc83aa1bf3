using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;

namespace Jobwright.Cluster.Tests;

/// <summary>Node names are unique among live nodes: by default per process, and a live node's name is never taken.</summary>
public sealed class NodeNameTests
{
    [Fact]
    public async Task Two_nodes_started_on_one_machine_without_a_name_get_names_of_their_own_and_both_serve()
    {
        await using var cluster = await Cluster.CreateAsync();
        await using var first = await StartUnnamedAsync(cluster);
        await using var second = await StartUnnamedAsync(cluster);

        var names = (await first.Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith(Environment.MachineName + "-", n, StringComparison.Ordinal));
        Assert.Contains(names, n => n == $"{Environment.MachineName}-{first.ProcessId}");
        Assert.Contains(names, n => n == $"{Environment.MachineName}-{second.ProcessId}");
    }

    [Fact]
    public async Task A_node_started_under_the_name_of_a_live_node_refuses_to_start_and_says_which_node_has_it()
    {
        await using var cluster = await Cluster.CreateAsync();
        var live = await cluster.StartNodeAsync("node-a", 16, "--samples");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartNodeAsync("node-a", 16, "--samples"));
        // The whole output on failure: the node's own words say why it exited.
        Assert.True(refused.Message.Contains("The node name 'node-a' is held by a live node", StringComparison.Ordinal), refused.Message);
        Assert.True(refused.Message.Contains($"process {live.ProcessId} on {Environment.MachineName}", StringComparison.Ordinal), refused.Message);

        // The live node was not disturbed: it still runs jobs under its name.
        var id = await Api.SubmitAsync(live.Http, new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } });
        var job = await Api.WaitForAsync(live.Http, id, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"));
        Assert.Equal(("COMPLETED_OK", "node-a"), (Api.Status(job), job["node"]!.GetValue<string>()));
    }

    private static Task<NodeProcess> StartUnnamedAsync(Cluster cluster) => NodeProcess.StartAsync(
        "serve", "--listen", "http://127.0.0.1:0", "--store", cluster.Url, "--samples", "--key-file", Path.Combine(cluster.Directory, "jobwright.key"));
}
