using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Cluster.Tests;

/// <summary>
/// A schedule due every second on three nodes of one PostgreSQL database, one node killed in the middle: exactly
/// one job per due second, none missing — whichever node fired it, and whatever node died.
/// </summary>
public sealed class ScheduleClusterTests
{
    [Fact]
    public async Task Three_nodes_fire_a_schedule_exactly_once_per_due_second_while_one_of_them_is_killed()
    {
        await using var cluster = await Cluster.CreateAsync();
        var nodes = new[] { await cluster.StartNodeAsync("sched-a"), await cluster.StartNodeAsync("sched-b"), await cluster.StartNodeAsync("sched-c") };
        var file = Path.Combine(cluster.Directory, "ticks.txt");
        using var created = await nodes[0].Http.PostAsJsonAsync("/api/v1/schedules", new
        {
            name = "tick", operation = "Record", group = "Cluster", cron = "* * * * * *", parameters = new { marker = 1, file }, overlap = "allow",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["scheduleId"]!.GetValue<long>();

        await CountAsync(nodes[2], id, 15);
        await nodes[1].KillAsync();
        var atKill = (await DuesAsync(nodes[2], id)).Length;
        await CountAsync(nodes[2], id, atKill + 15);
        using (var deleted = await nodes[0].Http.DeleteAsync($"/api/v1/schedules/{id}"))
        {
            deleted.EnsureSuccessStatusCode();
        }

        var dues = (await DuesAsync(nodes[0], id)).Order().ToArray();
        Assert.Equal(dues.Length, dues.Distinct().Count());
        Assert.Equal((dues[^1] - dues[0]) / 1000 + 1, dues.Length);
        // The schedule's rows in the database say the same: one job per due time, all of them the schedule's.
        Assert.Equal((long)dues.Length, await cluster.ScalarAsync<long>($"SELECT count(DISTINCT idempotency_key) FROM jobs WHERE schedule_id = {id}"));
        Assert.Equal((long)dues.Length, await cluster.ScalarAsync<long>($"SELECT count(*) FROM jobs WHERE schedule_id = {id}"));
    }

    private static async Task<long[]> DuesAsync(Jobwright.TestSupport.NodeProcess node, long scheduleId) =>
        [.. (await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs?scheduleId={scheduleId}&limit=1000"))!["jobs"]!.AsArray()
            .Select(j => long.Parse(j!["idempotencyKey"]!.GetValue<string>().Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture))];

    // Reads the schedule's jobs after each change the node streams, until there are that many.
    private static Task<long[]> CountAsync(Jobwright.TestSupport.NodeProcess node, long scheduleId, int count) =>
        Jobwright.TestSupport.NodeChanges.UntilAsync(node.Http, _ => DuesAsync(node, scheduleId), dues => dues.Length >= count, TimeSpan.FromSeconds(120));
}
