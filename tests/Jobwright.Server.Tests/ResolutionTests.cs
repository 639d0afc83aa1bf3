using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>
/// Rerun and acknowledge over the JSON API: a rerun is a linked copy (changed parameters, notBefore) whose
/// original keeps its status and shows the resolution; a job is resolved once; bad requests name their field
/// and change nothing. Runs on SQLite and on PostgreSQL.
/// </summary>
public sealed class ResolutionTests
{
    public static TheoryData<string> Stores => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_rerun_is_a_linked_copy_and_the_ended_job_keeps_its_status_with_the_resolution(string store)
    {
        await using var node = await StartAsync(store);
        var failed = await node.SubmitIdAsync(new { operation = "Simulate", priority = 3, parameters = new { tasks = 2, durationMs = 10, outcome = "rerun" } });
        var ended = await node.WaitForStatusAsync(failed, "COMPLETED_WITH_ERROR");

        using var response = await node.Http.PostAsJsonAsync($"/api/v1/jobs/{failed}/rerun", new { parameters = new { outcome = "ok" }, note = "fixed the cabling" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var copy = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var copyId = copy["jobId"]!.GetValue<long>();
        Assert.Equal($"/api/v1/jobs/{copyId}", response.Headers.Location!.ToString());
        Assert.Equal(failed, copy["rerunOf"]!.GetValue<long>());
        Assert.Equal("ok", copy["parameters"]!["outcome"]!.GetValue<string>());
        Assert.Equal(2, copy["parameters"]!["tasks"]!.GetValue<int>());
        Assert.Equal(3, copy["priority"]!.GetValue<int>());
        Assert.Equal("COMPLETED_OK", TestNode.Status(await node.WaitForStatusAsync(copyId, "COMPLETED_OK")));

        var original = await node.GetAsync(failed);
        Assert.Equal("COMPLETED_WITH_ERROR", TestNode.Status(original));
        Assert.Equal(ended["timeCompleted"]!.GetValue<DateTimeOffset>(), original["timeCompleted"]!.GetValue<DateTimeOffset>());
        Assert.Equal(copyId, original["rerunBy"]!.GetValue<long>());
        Assert.Equal("rerun", original["resolution"]!["how"]!.GetValue<string>());
        Assert.Equal(copyId, original["resolution"]!["jobId"]!.GetValue<long>());
        Assert.Equal("fixed the cabling", original["resolution"]!["note"]!.GetValue<string>());

        // Resolved once: a second rerun or an acknowledge is a conflict that names the rerun.
        using var again = await node.Http.PostAsync($"/api/v1/jobs/{failed}/rerun", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"rerun as job {copyId}", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var ack = await node.Http.PostAsJsonAsync($"/api/v1/jobs/{failed}/acknowledge", new { note = "late" });
        Assert.Equal(HttpStatusCode.Conflict, ack.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_acknowledge_records_who_and_the_note_and_a_waiting_job_cannot_be_resolved(string store)
    {
        await using var node = await StartAsync(store);
        var partial = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 10, failTasks = "2" } });
        await node.WaitForStatusAsync(partial, "COMPLETED_WITH_WARNINGS");
        using var response = await node.Http.PostAsJsonAsync($"/api/v1/jobs/{partial}/acknowledge", new { note = "mapping moved by hand" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(job));
        Assert.Equal("manual", job["resolution"]!["how"]!.GetValue<string>());
        Assert.Equal("mapping moved by hand", job["resolution"]!["note"]!.GetValue<string>());
        Assert.Null(job["rerunBy"]);

        // The list filters on it: the acknowledged job is resolved, a partial one nobody touched is not.
        var untouched = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 10, failTasks = "2" } });
        await node.WaitForStatusAsync(untouched, "COMPLETED_WITH_WARNINGS");
        Assert.Equal([untouched], await IdsAsync(node, "status=COMPLETED_WITH_WARNINGS&resolved=false"));
        Assert.Equal([partial], await IdsAsync(node, "status=COMPLETED_WITH_WARNINGS&resolved=true"));
        using var badFilter = await node.Http.GetAsync("/api/v1/jobs?resolved=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("\"resolved\"", await badFilter.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var waiting = await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        using var early = await node.Http.PostAsync($"/api/v1/jobs/{waiting}/rerun", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("only a job that has ended can be rerun", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await node.GetAsync(waiting))["resolution"]);
    }

    [Fact]
    public async Task Bad_rerun_requests_name_their_field_and_change_nothing()
    {
        await using var node = await TestNode.StartAsync();
        var done = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1 } });
        await node.WaitForStatusAsync(done, "COMPLETED_OK");
        foreach (var (body, field) in new (object, string)[]
        {
            (new { parameters = new { tasks = "many" } }, "parameters.tasks"),
            (new { parameters = 5 }, "parameters"),
            (new { notBefore = "soon" }, "notBefore"),
            (new { note = new string('x', 1001) }, "note"),
            (new { colour = "red" }, "colour"),
        })
        {
            using var refused = await node.Http.PostAsJsonAsync($"/api/v1/jobs/{done}/rerun", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        }

        Assert.Null((await node.GetAsync(done))["resolution"]);
        Assert.Equal(1, (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!["COMPLETED_OK"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.PostAsync("/api/v1/jobs/999999/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task Bulk_rerun_and_acknowledge_resolve_each_ended_job_once()
    {
        await using var node = await TestNode.StartAsync();
        var target = "bulk-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await node.SubmitIdAsync(new { operation = "Simulate", target, parameters = new { tasks = 1, durationMs = 1, outcome = "rerun" } }));
        }

        foreach (var id in ids)
        {
            await node.WaitForStatusAsync(id, "COMPLETED_WITH_ERROR");
        }

        var filter = new { status = "COMPLETED_WITH_ERROR", target };
        var rerun = await BulkAsync(node, new { action = "rerun", filter });
        Assert.Equal(3, rerun["done"]!.GetValue<long>());
        // The three are resolved already; copies that have ended meanwhile (they fail the same way) are acknowledged.
        var again = await BulkAsync(node, new { action = "acknowledge", filter, note = "seen" });
        Assert.Equal(3, again["skippedReasons"]!["already resolved"]!.GetValue<long>());
        Assert.Equal(again["matched"]!.GetValue<long>() - 3, again["done"]!.GetValue<long>());
        foreach (var id in ids)
        {
            Assert.NotNull((await node.GetAsync(id))["rerunBy"]);
        }
    }

    private static async Task<long[]> IdsAsync(LoopbackNode node, string query) =>
        [.. (await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs?{query}"))!["jobs"]!.AsArray().Select(j => j!["jobId"]!.GetValue<long>())];

    private static async Task<JsonObject> BulkAsync(LoopbackNode node, object body)
    {
        using var response = await node.Http.PostAsJsonAsync("/api/v1/jobs/bulk", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<LoopbackNode> StartAsync(string store)
    {
        if (store == "sqlite")
        {
            return await TestNode.StartAsync();
        }

        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("resolve");
        var key = Path.Combine(Path.GetTempPath(), "jobwright-resolve-" + Guid.NewGuid().ToString("N") + ".key");
        return await TestNode.StartAsync(settings: s => s with { PostgresConnectionString = database, KeyFile = key });
    }
}
