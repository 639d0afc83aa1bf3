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
        var toHandler = new List<double>();
        var roundTrips = new List<double>();
        // Rounds first that are not counted, until each node has run a job canceled through the other
        // twice: a fresh process compiles each path on first use (the first cancel through a node took
        // about a second, almost all of it in that node).
        var warmed = new Dictionary<string, int> { ["node-a"] = 0, ["node-b"] = 0 };
        for (var round = 0; toHandler.Count < Tries; round++)
        {
            var id = await Api.SubmitAsync(nodes[round % 2].Http, new { operation = "Simulate", parameters = new { durationMs = 60000, tasks = 1 } });
            var job = await Api.WaitForAsync(nodes[round % 2].Http, id, j => Api.Status(j) == "RUNNING");
            // Cancel through the node that does not run it.
            var runner = job["node"]!.GetValue<string>();
            var other = runner == "node-a" ? nodes[1] : nodes[0];
            var clock = Stopwatch.StartNew();
            var sentAt = DateTimeOffset.UtcNow;
            using var cancel = await other.Http.PostAsync($"/api/v1/jobs/{id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var ended = await Api.WaitForAsync(other.Http, id, j => Api.Status(j) != "RUNNING");
            clock.Stop();
            Assert.Equal("CANCELED_WHILE_RUNNING", Api.Status(ended));
            // What the issue asks is the cancel reaching the handler: the runner stamps timeCompleted
            // after its handler has returned on the cancel, on the same machine's clock as sentAt.
            // The round trip (the status seen back on the cancelling node) is reported beside it.
            var handlerEnded = (ended["timeCompleted"]!.GetValue<DateTimeOffset>() - sentAt).TotalMilliseconds;
            if (clock.ElapsedMilliseconds > 50)
            {
                output.WriteLine($"slow round {round}: seen back after {clock.ElapsedMilliseconds} ms; the handler on {runner} had ended {handlerEnded:0} ms after the cancel was sent");
            }

            if (warmed.Values.Min() >= 2)
            {
                toHandler.Add(handlerEnded);
                roundTrips.Add(clock.Elapsed.TotalMilliseconds);
            }
            else
            {
                warmed[runner]++;
                Assert.True(round < 40, "the warm-up never saw both nodes run a job");
            }
        }

        output.WriteLine("cancel sent to handler ended, in order: " + string.Join(", ", toHandler.Select(l => l.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
        var (p50, p99, max) = Percentiles(toHandler);
        var (tripP50, tripP99, tripMax) = Percentiles(roundTrips);
        output.WriteLine($"cancel on one node to the handler's end on the other: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {max:0.0} ms over {Tries}");
        output.WriteLine($"round trip to CANCELED_WHILE_RUNNING seen on the cancelling node: p50 {tripP50:0.0} ms, p99 {tripP99:0.0} ms, max {tripMax:0.0} ms");
        Assert.True(p99 <= 200, $"p99 {p99:0.0} ms from the cancel to the handler's end is over 200 ms (p50 {p50:0.0} ms)");
    }

    private static (double P50, double P99, double Max) Percentiles(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1], sorted[^1]);
    }
}
