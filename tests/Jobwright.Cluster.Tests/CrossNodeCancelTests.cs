using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Jobwright.Cluster.Tests;

/// <summary>A cancel made on one node reaches the handler of the job on another.</summary>
public sealed class CrossNodeCancelTests(ITestOutputHelper output)
{
    private const int Tries = 50;

    [Fact]
    public async Task A_cancel_on_one_node_stops_the_handler_on_another_within_200_ms_at_p99()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = new[] { await cluster.StartNodeAsync("node-a", 16, "--samples"), await cluster.StartNodeAsync("node-b", 16, "--samples") };
        var latencies = new List<double>();
        // Rounds first that are not counted, until each node has run a job canceled through the other
        // twice: a fresh process compiles each path on first use (the first cancel through a node took
        // about a second, almost all of it in that node).
        var warmed = new Dictionary<string, int> { ["node-a"] = 0, ["node-b"] = 0 };
        for (var round = 0; latencies.Count < Tries; round++)
        {
            var id = await Api.SubmitAsync(nodes[round % 2].Http, new { operation = "Simulate", parameters = new { durationMs = 60000, tasks = 1 } });
            var job = await Api.WaitForAsync(nodes[round % 2].Http, id, j => Api.Status(j) == "RUNNING");
            // Cancel through the node that does not run it; the handler's end is seen there too.
            var runner = job["node"]!.GetValue<string>();
            var other = runner == "node-a" ? nodes[1] : nodes[0];
            var clock = Stopwatch.StartNew();
            var sentAt = DateTimeOffset.UtcNow;
            using var cancel = await other.Http.PostAsync($"/api/v1/jobs/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var ended = await Api.WaitForAsync(other.Http, id, j => Api.Status(j) != "RUNNING");
            clock.Stop();
            Assert.Equal("CANCELED_WHILE_RUNNING", Api.Status(ended));
            if (clock.ElapsedMilliseconds > 50)
            {
                output.WriteLine($"slow: {clock.ElapsedMilliseconds} ms; ended on {runner} {(ended["timeCompleted"]!.GetValue<DateTimeOffset>() - sentAt).TotalMilliseconds:0} ms after the cancel was sent");
            }
            if (warmed.Values.Min() >= 2)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
            else
            {
                warmed[runner]++;
                Assert.True(round < 40, "the warm-up never saw both nodes run a job");
            }
        }

        output.WriteLine("in order: " + string.Join(", ", latencies.Select(l => l.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        output.WriteLine($"cancel on one node to CANCELED_WHILE_RUNNING seen there, job on the other node: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms over {Tries}");
        Assert.True(p99 <= 200, $"p99 {p99:0.0} ms is over 200 ms (p50 {p50:0.0} ms)");
    }
}
