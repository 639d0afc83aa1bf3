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
        // Two rounds first that are not counted: a fresh process compiles its request path on first use
        // (the first cancel through a node took about a second, almost all of it in that node).
        for (var i = -2; i < Tries; i++)
        {
            var id = await Api.SubmitAsync(nodes[(i + 2) % 2].Http, new { operation = "Simulate", parameters = new { durationMs = 60000, tasks = 1 } });
            var job = await Api.WaitForAsync(nodes[(i + 2) % 2].Http, id, j => Api.Status(j) == "RUNNING");
            // Cancel through the node that does not run it; the handler's end is seen there too.
            var other = job["node"]!.GetValue<string>() == "node-a" ? nodes[1] : nodes[0];
            var clock = Stopwatch.StartNew();
            using var cancel = await other.Http.PostAsync($"/api/v1/jobs/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var ended = await Api.WaitForAsync(other.Http, id, j => Api.Status(j) != "RUNNING");
            clock.Stop();
            Assert.Equal("CANCELED_WHILE_RUNNING", Api.Status(ended));
            if (i >= 0)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
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
