using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>
/// Complete and revert over the JSON API, on SQLite and PostgreSQL: a Migrate whose storage step failed is
/// completed by a linked job that runs that step alone (the others SKIPPED, "done by job N"); a partial
/// Simulate is reverted by a linked job that undoes its OK tasks last first; operations that cannot are refused.
/// </summary>
public sealed class CompleteAndRevertTests
{
    public static TheoryData<string> Stores => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_migrate_that_partly_failed_is_completed_by_a_job_that_runs_only_the_failed_task(string store)
    {
        await using var node = await StartAsync(store);
        var migrate = await node.SubmitIdAsync(new { operation = "Migrate", target = "lpar-m", parameters = new { targetSystem = "sys-b", failureRate = 1, durationMs = 50 } });
        var partial = await node.WaitForStatusAsync(migrate, "COMPLETED_WITH_WARNINGS");
        Assert.Equal(["OK", "OK", "FAILED", "OK", "OK"], Statuses(partial));

        var linked = await PostAsync(node, $"/api/v1/jobs/{migrate}/complete", new { parameters = new { failureRate = 0 }, note = "vscsi freed" });
        var completer = linked["jobId"]!.GetValue<long>();
        Assert.Equal(migrate, linked["resumes"]!.GetValue<long>());
        var done = await node.WaitForStatusAsync(completer, "COMPLETED_OK");
        var tasks = done["progress"]!["completedTasks"]!.AsArray();
        var ran = Assert.Single(tasks, t => t!["status"]!.GetValue<string>() == "OK");
        Assert.Equal("Move storage mappings", ran!["name"]!.GetValue<string>());
        var skipped = tasks.Where(t => t!["status"]!.GetValue<string>() == "SKIPPED").ToArray();
        Assert.Equal(["Validate migration", "Create partition on target system", "Transfer memory pages", "Resume partition on target"], skipped.Select(t => t!["name"]!.GetValue<string>()));
        Assert.All(skipped, t => Assert.Equal($"done by job {migrate}", t!["message"]!.GetValue<string>()));

        var original = await node.GetAsync(migrate);
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(original));
        Assert.Equal(completer, original["resumedBy"]!.GetValue<long>());
        Assert.Equal("completed", original["resolution"]!["how"]!.GetValue<string>());
        using var again = await node.Http.PostAsync($"/api/v1/jobs/{migrate}/revert", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"completed by job {completer}", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_partial_job_is_reverted_by_a_job_that_undoes_its_OK_tasks_last_first(string store)
    {
        await using var node = await StartAsync(store);
        var simulate = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 3, durationMs = 30, failTasks = "2" } });
        await node.WaitForStatusAsync(simulate, "COMPLETED_WITH_WARNINGS");

        var linked = await PostAsync(node, $"/api/v1/jobs/{simulate}/revert", new { note = "back out" });
        var reverter = linked["jobId"]!.GetValue<long>();
        Assert.Equal(simulate, linked["reverts"]!.GetValue<long>());
        var done = await node.WaitForStatusAsync(reverter, "COMPLETED_OK");
        Assert.Equal(["Revert Task 3 of 3", "Revert Task 1 of 3"], done["progress"]!["completedTasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(reverter, (await node.GetAsync(simulate))["revertedBy"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_operation_that_cannot_complete_or_revert_says_why_and_nothing_is_submitted()
    {
        await using var node = await TestNode.StartAsync(b => b.AddOperation<HalfDoneHandler>("HalfDone", "Trace"));
        var half = await node.SubmitIdAsync(new { operation = "HalfDone", group = "Trace" });
        await node.WaitForStatusAsync(half, "COMPLETED_WITH_WARNINGS");
        await AssertConflictAsync(node, $"/api/v1/jobs/{half}/complete", "does not support completing a partial job");
        await AssertConflictAsync(node, $"/api/v1/jobs/{half}/revert", "declares no revert");

        var failed = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1, outcome = "rerun" } });
        await node.WaitForStatusAsync(failed, "COMPLETED_WITH_ERROR");
        await AssertConflictAsync(node, $"/api/v1/jobs/{failed}/complete", "only a COMPLETED_WITH_WARNINGS job can be completed");
        var nothingOk = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1, failTasks = "1" } });
        await node.WaitUntilAsync(nothingOk, j => TestNode.Status(j) is not ("NOT_STARTED" or "RUNNING"));
        await AssertConflictAsync(node, $"/api/v1/jobs/{nothingOk}/revert", "no task that ended OK");

        var counts = (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!.AsObject();
        Assert.Equal(3, counts.Sum(c => c.Value!.GetValue<long>()));
        Assert.Null((await node.GetAsync(half))["resolution"]);
    }

    private static string[] Statuses(JsonObject job) =>
        [.. job["progress"]!["completedTasks"]!.AsArray().Select(t => t!["status"]!.GetValue<string>())];

    private static async Task AssertConflictAsync(LoopbackNode node, string path, string message)
    {
        using var response = await node.Http.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonObject> PostAsync(LoopbackNode node, string path, object body)
    {
        using var response = await node.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<LoopbackNode> StartAsync(string store)
    {
        if (store == "sqlite")
        {
            return await TestNode.StartAsync();
        }

        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("complete");
        var key = Path.Combine(Path.GetTempPath(), "jobwright-complete-" + Guid.NewGuid().ToString("N") + ".key");
        return await TestNode.StartAsync(settings: s => s with { PostgresConnectionString = database, KeyFile = key });
    }

    private sealed class HalfDoneHandler : IJobHandler
    {
        public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
        {
            await context.RunTaskAsync("first half", (_, _) => Task.CompletedTask, cancellationToken);
            await context.RunTaskAsync("second half", (task, _) =>
            {
                task.Fail("the second half did not happen");
                return Task.CompletedTask;
            }, cancellationToken);
            return JobOutcome.Completed();
        }
    }
}
