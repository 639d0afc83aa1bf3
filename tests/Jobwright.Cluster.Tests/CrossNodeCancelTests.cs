using System.Net;

namespace Jobwright.Cluster.Tests;

/// <summary>
/// A cancel made on one node reaches the handler of the job on another. How fast it arrives is measured
/// by the benchmarks (bench/), not asserted here: one slow sample on a busy machine would fail the run.
/// </summary>
public sealed class CrossNodeCancelTests
{
    private const int Rounds = 6;

    [Fact]
    public async Task A_cancel_on_one_node_stops_the_handler_on_another_and_the_job_ends_CANCELED_WHILE_RUNNING()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = new[] { await cluster.StartNodeAsync("node-a", 16, "--samples"), await cluster.StartNodeAsync("node-b", 16, "--samples") };
        var cancelledOn = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds || cancelledOn.Count < 2; round++)
        {
            Assert.True(round < 40, "in 40 rounds, jobs never ran on both nodes");
            var id = await Api.SubmitAsync(nodes[round % 2].Http, new { operation = "Simulate", parameters = new { durationMs = 60000, tasks = 1 } });
            var job = await Api.WaitForAsync(nodes[round % 2].Http, id, j => Api.Status(j) == "RUNNING");
            // Cancel through the node that does not run it.
            var runner = job["node"]!.GetValue<string>();
            var other = runner == "node-a" ? nodes[1] : nodes[0];
            using var cancel = await other.Http.PostAsync($"/api/v1/jobs/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

            var ended = await Api.WaitForAsync(other.Http, id, j => Api.Status(j) != "RUNNING");
            Assert.Equal("CANCELED_WHILE_RUNNING", Api.Status(ended));
            Assert.Equal(runner, ended["node"]!.GetValue<string>());
            cancelledOn.Add(runner);
        }
    }
}
