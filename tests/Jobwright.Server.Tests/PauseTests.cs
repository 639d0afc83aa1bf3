using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Node;
using Jobwright.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>
/// Pausing a target or an operation: its waiting jobs stay NOT_STARTED with the pause as their reason while
/// other jobs run, on one node and across two PostgreSQL nodes, and start once it is resumed.
/// </summary>
public sealed class PauseTests
{
    [Fact]
    public async Task A_paused_target_keeps_its_jobs_waiting_while_later_jobs_run_until_it_is_resumed()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var pause = await PostAsync(node, "/api/v1/targets/Sample/lpar-p/pause", new { note = "firmware update" });
        Assert.Equal("target", pause["kind"]!.GetValue<string>());
        Assert.Equal("Sample/lpar-p", pause["key"]!.GetValue<string>());
        Assert.Equal("firmware update", pause["note"]!.GetValue<string>());

        var held = await node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-p", parameters = new { tasks = 1, durationMs = 1 } });
        // With one slot and claims in submit order, a later job that ran proves the held one was passed over.
        var later = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1 } });
        await node.WaitForStatusAsync(later, "COMPLETED_OK");
        var waiting = await node.GetAsync(held);
        Assert.Equal("NOT_STARTED", TestNode.Status(waiting));
        Assert.Equal("TARGET_PAUSED", waiting["notStartedReason"]!["code"]!.GetValue<string>());
        Assert.Contains("target 'Sample/lpar-p' is paused", waiting["notStartedReason"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(": firmware update", waiting["notStartedReason"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single((await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/pauses"))!["pauses"]!.AsArray());

        var resumed = await PostAsync(node, "/api/v1/targets/Sample/lpar-p/resume", null);
        Assert.True(resumed["resumed"]!.GetValue<bool>());
        await node.WaitForStatusAsync(held, "COMPLETED_OK");
        Assert.False((await PostAsync(node, "/api/v1/targets/Sample/lpar-p/resume", null))["resumed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_waiting_job_reason_shows_a_pause_and_a_resume_of_this_node_at_once()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var slot = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 600_000 } });
        await node.WaitForStatusAsync(slot, "RUNNING");
        // Its answer explained it, reading the pauses: none yet.
        var held = await node.SubmitIdAsync(new { operation = "Simulate", target = "lpar-q", parameters = new { tasks = 1, durationMs = 1 } });
        string Reason(JsonObject job) => job["notStartedReason"]!["code"]!.GetValue<string>();
        Assert.NotEqual("TARGET_PAUSED", Reason(await node.GetAsync(held)));

        await PostAsync(node, "/api/v1/targets/Sample/lpar-q/pause", null);
        Assert.Equal("TARGET_PAUSED", Reason(await node.GetAsync(held)));
        await PostAsync(node, "/api/v1/targets/Sample/lpar-q/resume", null);
        Assert.NotEqual("TARGET_PAUSED", Reason(await node.GetAsync(held)));
    }

    [Fact]
    public async Task A_paused_operation_keeps_its_jobs_waiting_and_running_jobs_are_not_touched()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Workers = 1 });
        var probes = node.Services.GetRequiredService<ProbeLog>();
        var running = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await probes.For(probes.Started, running).Task.WaitAsync(TimeSpan.FromSeconds(30));
        await PostAsync(node, "/api/v1/operations/Test/Probe/pause", null);
        var held = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        probes.Gate.TrySetResult();
        await node.WaitForStatusAsync(running, "COMPLETED_OK");
        var later = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1 } });
        await node.WaitForStatusAsync(later, "COMPLETED_OK");
        Assert.Equal("OPERATION_PAUSED", (await node.GetAsync(held))["notStartedReason"]!["code"]!.GetValue<string>());
        await PostAsync(node, "/api/v1/operations/Test/Probe/resume", null);
        await node.WaitForStatusAsync(held, "COMPLETED_OK");
    }

    [Fact]
    public async Task A_target_paused_on_one_PostgreSQL_node_starts_on_neither_until_the_other_resumes_it()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("pause");
        var key = Path.Combine(Path.GetTempPath(), "jobwright-pause-" + Guid.NewGuid().ToString("N") + ".key");
        NodeSettings OnCluster(NodeSettings s, string name) => s with { PostgresConnectionString = database, KeyFile = key, NodeName = name, Workers = 1 };
        await using var first = await TestNode.StartAsync(settings: s => OnCluster(s, "pause-a"));
        await using var second = await TestNode.StartAsync(settings: s => OnCluster(s, "pause-b"));
        await PostAsync(first, "/api/v1/targets/Sample/lpar-c/pause", new { note = "maintenance" });
        var held = new[] { await first.SubmitIdAsync(new { operation = "Simulate", target = "lpar-c", parameters = new { tasks = 1, durationMs = 1 } }),
            await second.SubmitIdAsync(new { operation = "Simulate", target = "lpar-c", parameters = new { tasks = 1, durationMs = 1 } }) };

        // Later jobs on both nodes run: the held ones were passed over by every claim of either node.
        var later = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            later.Add(await (i % 2 == 0 ? first : second).SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1 } }));
        }

        foreach (var id in later)
        {
            await first.WaitForStatusAsync(id, "COMPLETED_OK");
        }

        var ranOn = (await Task.WhenAll(later.Select(first.GetAsync))).Select(j => j["node"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["pause-a", "pause-b"], ranOn.Order());
        foreach (var id in held)
        {
            var job = await second.GetAsync(id);
            Assert.Equal("NOT_STARTED", TestNode.Status(job));
            Assert.Equal("TARGET_PAUSED", job["notStartedReason"]!["code"]!.GetValue<string>());
        }

        await PostAsync(second, "/api/v1/targets/Sample/lpar-c/resume", null);
        foreach (var id in held)
        {
            await first.WaitForStatusAsync(id, "COMPLETED_OK");
        }
    }

    [Fact]
    public async Task Bad_pause_requests_name_their_field_and_pause_nothing()
    {
        await using var node = await TestNode.StartAsync();
        foreach (var (body, field) in new (object, string)[] { (new { note = 3 }, "note"), (new { colour = "red" }, "colour"), (new { note = new string('n', 1001) }, "note") })
        {
            using var refused = await node.Http.PostAsJsonAsync("/api/v1/targets/Sample/lpar-x/pause", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        }

        Assert.Empty((await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/pauses"))!["pauses"]!.AsArray());
    }

    private static async Task<JsonObject> PostAsync(LoopbackNode node, string path, object? body)
    {
        using var response = body is null ? await node.Http.PostAsync(path, null) : await node.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
