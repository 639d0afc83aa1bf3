using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Node;
using Jobwright.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Server.Tests;

/// <summary>
/// POST /api/v1/jobs/bulk on both stores: a dry run counts, a cancel of 10,000 waiting jobs ends every one
/// CANCELED_BEFORE_START and touches no running job, a repeat finds nothing, and bad requests name their field.
/// </summary>
public sealed class BulkActionTests
{
    private const int Waiting = 10_000;

    [Fact]
    public async Task Bulk_cancel_of_ten_thousand_waiting_jobs_on_SQLite()
    {
        await using var node = await TestNode.StartAsync();
        await CancelTenThousandAsync(node);
    }

    [Fact]
    public async Task Bulk_cancel_of_ten_thousand_waiting_jobs_on_PostgreSQL()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("bulk");
        var key = Path.Combine(Path.GetTempPath(), "jobwright-bulk-" + Guid.NewGuid().ToString("N") + ".key");
        await using var node = await TestNode.StartAsync(settings: s => s with { PostgresConnectionString = database, KeyFile = key });
        await CancelTenThousandAsync(node);
    }

    [Fact]
    public async Task Bulk_delete_removes_only_ended_jobs_and_bad_requests_name_their_field()
    {
        await using var node = await TestNode.StartAsync();
        var ended = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1 } });
        await node.WaitForStatusAsync(ended, "COMPLETED_OK");
        var waiting = await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });

        var summary = await BulkAsync(node, new { action = "delete", filter = new { operation = "Simulate" } });
        Assert.Equal(2, summary["matched"]!.GetValue<long>());
        Assert.Equal(1, summary["done"]!.GetValue<long>());
        Assert.Equal(1, summary["skippedReasons"]!["not ended (cancel it first)"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NotFound, (await node.Http.GetAsync($"/api/v1/jobs/{ended}")).StatusCode);
        Assert.Equal("NOT_STARTED", TestNode.Status(await node.GetAsync(waiting)));

        foreach (var (body, field) in new (object, string)[]
        {
            (new { action = "archive", filter = new { } }, "action"),
            (new { action = "pause", filter = new { } }, "action"),
            (new { action = "acknowledge", filter = new { }, note = 5 }, "note"),
            (new { action = "cancel" }, "filter"),
            (new { action = "cancel", filter = new { colour = "red" } }, "filter.colour"),
            (new { action = "cancel", filter = new { status = 3 } }, "filter.status"),
            (new { action = "cancel", filter = new { status = "DONE" } }, "status"),
            (new { action = "cancel", filter = new { }, dryRun = "yes" }, "dryRun"),
        })
        {
            using var refused = await node.Http.PostAsJsonAsync("/api/v1/jobs/bulk", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        }

        Assert.Equal("NOT_STARTED", TestNode.Status(await node.GetAsync(waiting)));
    }

    private static async Task CancelTenThousandAsync(LoopbackNode node)
    {
        var jobs = node.Services.GetRequiredService<JobService>();
        var probes = node.Services.GetRequiredService<ProbeLog>();
        var running = await node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await probes.For(probes.Started, running).Task.WaitAsync(TimeSpan.FromSeconds(60));
        var later = DateTimeOffset.UtcNow.AddHours(1);
        await Parallel.ForAsync(0, Waiting, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, ct) =>
            await jobs.SubmitAsync(new JobSubmission { Operation = "Simulate", NotBefore = later }, "bulk-test", ct));
        var filter = new { status = "NOT_STARTED", operation = "Simulate" };

        var dry = await BulkAsync(node, new { action = "cancel", filter, dryRun = true });
        Assert.Equal(Waiting, dry["matched"]!.GetValue<long>());
        Assert.Equal(0, dry["done"]!.GetValue<long>());
        Assert.Equal(20, dry["firstIds"]!.AsArray().Count);
        Assert.Equal(Waiting, await CountAsync(node, "NOT_STARTED"));

        var done = await BulkAsync(node, new { action = "cancel", filter });
        Assert.Equal(Waiting, done["matched"]!.GetValue<long>());
        Assert.Equal(Waiting, done["done"]!.GetValue<long>());
        Assert.Equal(0, done["skipped"]!.GetValue<long>());
        Assert.Equal(Waiting, await CountAsync(node, "CANCELED_BEFORE_START"));
        Assert.Equal(0, await CountAsync(node, "NOT_STARTED"));
        var holder = await node.GetAsync(running);
        Assert.Equal("RUNNING", TestNode.Status(holder));
        Assert.False(holder["cancelRequested"]!.GetValue<bool>());

        var again = await BulkAsync(node, new { action = "cancel", filter });
        Assert.Equal(0, again["matched"]!.GetValue<long>());
        Assert.Equal(Waiting, await CountAsync(node, "CANCELED_BEFORE_START"));
        probes.Gate.TrySetResult();
    }

    private static async Task<JsonObject> BulkAsync(LoopbackNode node, object body)
    {
        using var response = await node.Http.PostAsJsonAsync("/api/v1/jobs/bulk", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<long> CountAsync(LoopbackNode node, string status) =>
        (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]![status]!.GetValue<long>();
}
