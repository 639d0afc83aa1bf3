using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>
/// Priorities over the JSON API on a node with one worker slot: waiting jobs start highest first, a
/// low-priority job still starts, a waiting job's reason says where it stands, and a bad priority changes nothing.
/// </summary>
public sealed class PriorityTests
{
    [Fact]
    public async Task With_one_worker_slot_jobs_start_in_priority_order_and_a_low_priority_job_still_starts()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var probes = node.Services.GetRequiredService<ProbeLog>();
        // The only slot is held until every other job waits, so the claims choose among all of them.
        var holder = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await probes.For(probes.Started, holder).Task.WaitAsync(TimeSpan.FromSeconds(30));
        var low = await node.SubmitIdAsync(new { operation = "Simulate", priority = -10, parameters = new { tasks = 1, durationMs = 20 } });
        var byPriority = new List<long>();
        foreach (var priority in new[] { 30, 20, 10 })
        {
            byPriority.Add(await node.SubmitIdAsync(new { operation = "Simulate", priority, parameters = new { tasks = 1, durationMs = 20 } }));
        }

        var waiting = await node.GetAsync(low);
        Assert.Equal(-10, waiting["priority"]!.GetValue<int>());
        Assert.Equal("QUEUED", waiting["notStartedReason"]!["code"]!.GetValue<string>());
        Assert.Contains("3 jobs ahead (3 of higher priority)", waiting["notStartedReason"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        probes.Gate.TrySetResult();
        var started = new List<(long Id, DateTimeOffset At)>();
        foreach (var id in byPriority.Append(low))
        {
            var job = await node.WaitForStatusAsync(id, "COMPLETED_OK");
            started.Add((id, job["timeStarted"]!.GetValue<DateTimeOffset>()));
        }

        // The higher ones in their order; the low one started too (the wait for its COMPLETED_OK above says so:
        // one claim in four takes the oldest waiting job).
        Assert.Equal(byPriority, started.Where(s => s.Id != low).OrderBy(s => s.At).Select(s => s.Id));
    }

    [Theory]
    [InlineData("\"high\"")]
    [InlineData("1.5")]
    [InlineData("1001")]
    [InlineData("-1001")]
    public async Task A_priority_that_is_not_a_whole_number_in_range_is_refused_naming_the_field(string priority)
    {
        await using var node = await TestNode.StartAsync();
        using var response = await node.Http.PostAsync(
            "/api/v1/jobs", new StringContent($"{{\"operation\":\"Simulate\",\"priority\":{priority}}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("priority", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("-1000 to 1000", problem["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var stats = (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!;
        Assert.Equal(0, stats["counts"]!["NOT_STARTED"]!.GetValue<long>());
    }
}
