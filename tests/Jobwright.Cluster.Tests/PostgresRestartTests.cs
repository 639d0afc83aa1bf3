using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;

namespace Jobwright.Cluster.Tests;

/// <summary>The database restarts under load: submits fail fast, no acknowledged job is lost, the nodes carry on by themselves.</summary>
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task While_PostgreSQL_restarts_submits_fail_fast_with_503_no_acknowledged_job_is_lost_and_the_nodes_recover()
    {
        // A server of its own: this test stops it.
        await using var server = await PostgresServer.StartAsync();
        await using var cluster = await Cluster.CreateAsync(server);
        var nodes = new[] { await cluster.StartNodeAsync("node-a", 16, "--samples"), await cluster.StartNodeAsync("node-b", 16, "--samples") };
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var refusedLatencies = new System.Collections.Concurrent.ConcurrentQueue<double>();
        var acknowledgedCount = new CountSignal();
        var refusedCount = new CountSignal();
        using var stopLoad = new CancellationTokenSource();

        var load = Task.Run(async () =>
        {
            for (var i = 0; !stopLoad.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await nodes[i % 2].Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 100, tasks = 1 } });
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged.Enqueue((await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>());
                    acknowledgedCount.Increment();
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to try again");
                    refusedLatencies.Enqueue(clock.Elapsed.TotalMilliseconds);
                    refusedCount.Increment();
                }
            }
        });

        // The waits bound how long the refusals may take: twenty of them within 30 s while the server is down.
        await acknowledgedCount.WaitForAsync(100, TimeSpan.FromSeconds(30));
        await server.StopServerAsync();
        var downAt = acknowledgedCount.Count;
        await refusedCount.WaitForAsync(20, TimeSpan.FromSeconds(30));
        await server.StartServerAsync();
        await acknowledgedCount.WaitForAsync(downAt + 100, TimeSpan.FromSeconds(60));
        await stopLoad.CancelAsync();
        await load;

        var refused = refusedLatencies.Order().ToArray();
        output.WriteLine($"{acknowledged.Count} acknowledged, {refused.Length} refused while down: p50 {refused[refused.Length / 2]:0.0} ms, max {refused[^1]:0.0} ms");

        try
        {
            await Api.WaitForCountsAsync(nodes[0].Http, c => Api.Count(c, "NOT_STARTED", "RUNNING") == 0, TimeSpan.FromMinutes(1));
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("node-a:\n" + nodes[0].Output[^Math.Min(nodes[0].Output.Length, 6000)..] + "\nnode-b:\n" + nodes[1].Output[^Math.Min(nodes[1].Output.Length, 6000)..]);
            throw;
        }

        foreach (var id in acknowledged)
        {
            var job = await Api.GetAsync(nodes[id % 2 == 0 ? 0 : 1].Http, id);
            Assert.True(Api.Status(job) == "COMPLETED_OK", $"job {id} is {Api.Status(job)}: {job["error"]?["message"]}");
        }

        // Both nodes are still in the cluster and take work, without a restart.
        var live = (await nodes[0].Http.GetFromJsonAsync<JsonObject>("/api/v1/nodes"))!["nodes"]!.AsArray();
        Assert.Equal(["node-a", "node-b"], live.Select(n => n!["name"]!.GetValue<string>()));
        foreach (var node in nodes)
        {
            var id = await Api.SubmitAsync(node.Http, new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } });
            Assert.Equal("COMPLETED_OK", Api.Status(await Api.WaitForAsync(node.Http, id, j => Api.Status(j) is not ("NOT_STARTED" or "RUNNING"))));
        }
    }
}
