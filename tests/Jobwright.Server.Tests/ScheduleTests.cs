using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Node;
using Jobwright.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>
/// Schedules over the JSON API on a real node: bad input names its field and creates nothing; a schedule due
/// every second makes one job per due second, named by its schedule; pause, trigger, update and delete; bufferOne.
/// (A node stopped across due times is in ScheduleFiringOnFakeTimeTests, on a fake clock.)
/// </summary>
public sealed class ScheduleTests
{
    [Fact]
    public async Task A_schedule_that_cannot_be_is_refused_naming_the_field_and_nothing_is_created()
    {
        await using var node = await TestNode.StartAsync();
        foreach (var (body, status, field) in new (object, HttpStatusCode, string)[]
        {
            (new { name = "a", operation = "Simulate", cron = "every minute" }, HttpStatusCode.BadRequest, "cron"),
            (new { name = "a", operation = "Simulate", cron = "* * * * *", timeZone = "Mars/Olympus" }, HttpStatusCode.BadRequest, "timeZone"),
            (new { name = "a", operation = "Simulate", cron = "* * * * *", parameters = new { tasks = "many" } }, HttpStatusCode.BadRequest, "parameters.tasks"),
            (new { name = "a", operation = "Simulate", cron = "* * * * *", misfire = "sometimes" }, HttpStatusCode.BadRequest, "misfire"),
            (new { name = "a", operation = "Simulate", cron = "* * * * *", overlap = "queue" }, HttpStatusCode.BadRequest, "overlap"),
            (new { name = "a", operation = "Simulate", interval = "soon" }, HttpStatusCode.BadRequest, "interval"),
            (new { name = "a", operation = "Simulate" }, HttpStatusCode.BadRequest, "cron"),
            (new { name = "a", operation = "Nope", cron = "* * * * *" }, HttpStatusCode.NotFound, "operation"),
            (new { operation = "Simulate", cron = "* * * * *" }, HttpStatusCode.BadRequest, "name"),
        })
        {
            using var refused = await node.Http.PostAsJsonAsync("/api/v1/schedules", body);
            Assert.Equal(status, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        }

        Assert.Empty((await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/schedules"))!["schedules"]!.AsArray());
        Assert.Equal(0, (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!.AsObject().Sum(c => c.Value!.GetValue<long>()));
    }

    [Fact]
    public async Task A_schedule_due_every_second_makes_one_job_per_due_second_and_can_be_paused_triggered_and_deleted()
    {
        await using var node = await TestNode.StartAsync();
        using var created = await node.Http.PostAsJsonAsync("/api/v1/schedules", new { name = "tick", operation = "Simulate", cron = "* * * * * *", parameters = new { tasks = 1, durationMs = 1 }, overlap = "allow" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = schedule["scheduleId"]!.GetValue<long>();
        Assert.Equal($"/api/v1/schedules/{id}", created.Headers.Location!.ToString());
        var next = schedule["nextRuns"]!.AsArray().Select(t => t!.GetValue<DateTimeOffset>()).ToArray();
        Assert.Equal(5, next.Length);
        // Four gaps between the five next runs, each one second.
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(1), 4), next.Zip(next[1..], (earlier, later) => later - earlier));
        using (var taken = await node.Http.PostAsJsonAsync("/api/v1/schedules", new { name = "tick", operation = "Simulate", cron = "* * * * *" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }

        var jobs = await JobsAsync(node, id, atLeast: 3);
        Assert.All(jobs, j => Assert.Equal(id, j["scheduleId"]!.GetValue<long>()));
        var dues = jobs.Select(Due).ToArray();
        Assert.Equal(dues.Length, dues.Distinct().Count());

        var paused = await PostAsync(node, $"/api/v1/schedules/{id}/pause", HttpStatusCode.OK);
        Assert.True(paused["paused"]!.GetValue<bool>());
        var manual = await PostAsync(node, $"/api/v1/schedules/{id}/trigger", HttpStatusCode.Accepted);
        Assert.Equal(id, manual["scheduleId"]!.GetValue<long>());
        Assert.Equal(10, (await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/schedules/{id}/next?count=10"))!["nextRuns"]!.AsArray().Count);
        var madeBeforeDelete = (await JobsAsync(node, id, atLeast: 1)).Select(j => j["jobId"]!.GetValue<long>()).ToHashSet();

        // An update replaces what it does and when; a bad one changes nothing.
        using (var updated = await node.Http.PutAsJsonAsync($"/api/v1/schedules/{id}", new { name = "tick", operation = "Simulate", cron = "0 6 * * *", timeZone = "America/New_York" }))
        {
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
            var changed = (await updated.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("0 6 * * *", changed["cron"]!.GetValue<string>());
            Assert.True(changed["paused"]!.GetValue<bool>());
        }

        using (var refused = await node.Http.PutAsJsonAsync($"/api/v1/schedules/{id}", new { name = "tick", operation = "Simulate", cron = "at six" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal("0 6 * * *", (await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/schedules/{id}"))!["cron"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.PutAsJsonAsync("/api/v1/schedules/999999", new { name = "x", operation = "Simulate", cron = "* * * * *" })).StatusCode);

        using (var deleted = await node.Http.DeleteAsync($"/api/v1/schedules/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync($"/api/v1/schedules/{id}")).StatusCode);
        // The jobs it made stay.
        Assert.Subset((await JobsAsync(node, id, atLeast: 1)).Select(j => j["jobId"]!.GetValue<long>()).ToHashSet(), madeBeforeDelete);
    }

    [Fact]
    public async Task A_bufferOne_run_waits_for_the_previous_run_and_a_third_due_meanwhile_is_not_made()
    {
        await using var node = await TestNode.StartAsync();
        var probes = node.Services.GetRequiredService<ProbeLog>();
        using var created = await node.Http.PostAsJsonAsync("/api/v1/schedules", new { name = "buffered", operation = "Probe", group = "Test", cron = "* * * * * *", overlap = "bufferOne" });
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["scheduleId"]!.GetValue<long>();

        // The first run holds on the probe's gate: the next due second is buffered behind it, the ones after are overlaps.
        var jobs = await JobsAsync(node, id, atLeast: 4);
        await PostAsync(node, $"/api/v1/schedules/{id}/pause", HttpStatusCode.OK);
        jobs = (await JobsAsync(node, id, atLeast: 4)).OrderBy(Due).ToArray();
        Assert.Equal("RUNNING", TestNode.Status(jobs[0].AsObject()));
        Assert.Equal("NOT_STARTED", TestNode.Status(jobs[1].AsObject()));
        Assert.Equal("TARGET_BUSY", jobs[1]["notStartedReason"]!["code"]!.GetValue<string>());
        // Every run after those two (at least two of them) was not made: an overlap.
        var overlaps = jobs[2..].Select(j => j["messages"]![0]!["code"]!.GetValue<string>()).ToArray();
        Assert.True(overlaps.Length >= 2, $"{overlaps.Length} overlaps");
        Assert.Equal(Enumerable.Repeat("OVERLAP", overlaps.Length), overlaps);

        probes.Gate.TrySetResult();
        await node.WaitForStatusAsync(jobs[1]["jobId"]!.GetValue<long>(), "COMPLETED_OK");
    }

    private static long Due(JsonNode? job) => long.Parse(job!["idempotencyKey"]!.GetValue<string>().Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

    // The schedule's jobs, read again after each change the node streams, once it has made at least that many.
    private static Task<JsonNode[]> JobsAsync(LoopbackNode node, long scheduleId, int atLeast) =>
        NodeChanges.UntilAsync(
            node.Http,
            async ct => (await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs?scheduleId={scheduleId}&limit=1000", ct))!["jobs"]!.AsArray().Select(j => j!).ToArray(),
            jobs => jobs.Length >= atLeast,
            TimeSpan.FromSeconds(90));

    private static async Task<JsonObject> PostAsync(LoopbackNode node, string path, HttpStatusCode expected)
    {
        using var response = await node.Http.PostAsync(path, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
