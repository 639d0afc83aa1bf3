using Jobwright.TestSupport;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Jobwright.Server.Tests.Declared;

/// <summary>Declared operations run real programs, map exit codes, stop whole process groups, and keep secrets.</summary>
public sealed class DeclaredOperationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
    private LoopbackNode _node = null!;

    public async Task InitializeAsync()
    {
        var file = DeclaredTestFiles.Write(_directory);
        _node = await TestNode.StartAsync(settings: s => s with { OperationsFile = file, Samples = false });
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task An_argument_with_shell_syntax_is_passed_literally_and_nothing_runs()
    {
        var marker = Path.Combine(_directory, "pwned");
        var text = $"; touch {marker} && $(id) `id` | tee {marker}";
        var id = await _node.SubmitIdAsync(new { operation = "Echo", parameters = new { text } });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        Assert.Equal(text, job["results"]!["Print.stdout"]!.GetValue<string>());
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData(3, "COMPLETED_OK", "WARNING")]
    [InlineData(4, "COMPLETED_WITH_ERROR", "FAILED")]
    [InlineData(9, "COMPLETED_WITH_ERROR", "FAILED")]
    [InlineData(75, "FAILED_BEFORE_COMPLETION_RETRY", "FAILED")]
    public async Task Exit_codes_map_to_task_and_job_statuses(int code, string status, string task)
    {
        var id = await _node.SubmitIdAsync(new { operation = "Exit", parameters = new { code } });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal(status, TestNode.Status(job));
        Assert.Equal(task, job["progress"]!["completedTasks"]![0]!["status"]!.GetValue<string>());
        Assert.Equal($"{code}", job["results"]!["returnCode"]!.GetValue<string>());
        Assert.Equal($"going to exit {code}", job["results"]!["Exit.stderr"]!.GetValue<string>());
        if (status == "FAILED_BEFORE_COMPLETION_RETRY")
        {
            Assert.Equal(30, job["retryAfterSeconds"]!.GetValue<int>());
        }
        else if (status == "COMPLETED_WITH_ERROR")
        {
            Assert.Contains($"exited with {code}", job["results"]!["result"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_failed_step_that_continues_beside_a_good_one_is_COMPLETED_WITH_WARNINGS()
    {
        var id = await _node.SubmitIdAsync(new { operation = "ExitThenOk", parameters = new { code = 4 } });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(job));
        Assert.Equal("0", job["results"]!["returnCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_middle_step_gives_COMPLETED_WITH_WARNINGS_and_the_later_step_is_SKIPPED()
    {
        var id = await _node.SubmitIdAsync(new { operation = "ThreeSteps" });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(job));
        Assert.Equal(["OK", "FAILED", "SKIPPED"], job["progress"]!["completedTasks"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));
        Assert.Equal("1", job["results"]!["returnCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_stops_the_program_and_its_children()
    {
        var seconds = Random.Shared.Next(40_000, 50_000);
        var id = await _node.SubmitIdAsync(new { operation = "Sleep", parameters = new { seconds } });
        await _node.WaitForStatusAsync(id, "RUNNING");
        await WaitUntilAsync(() => Sleepers(seconds) >= 2);
        await _node.CancelAsync(id);
        Assert.Equal("CANCELED_WHILE_RUNNING", TestNode.Status(await _node.WaitForTerminalAsync(id)));
        await WaitUntilAsync(() => Sleepers(seconds) == 0);
    }

    [Fact]
    public async Task A_timeout_stops_the_program_and_its_children_and_fails_the_job()
    {
        var seconds = Random.Shared.Next(50_001, 60_000);
        var id = await _node.SubmitIdAsync(new { operation = "SleepTimeout", parameters = new { seconds } });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("FAILED_BEFORE_COMPLETION", TestNode.Status(job));
        Assert.Equal("timed out after 1s", job["error"]!["message"]!.GetValue<string>());
        await WaitUntilAsync(() => Sleepers(seconds) == 0);
    }

    [Fact]
    public async Task A_busy_target_with_retryLater_ends_the_next_job_at_once_with_retryAfterSeconds()
    {
        var seconds = Random.Shared.Next(60_001, 70_000);
        var holder = await _node.SubmitIdAsync(new { operation = "Sleep", parameters = new { seconds } });
        await _node.WaitForStatusAsync(holder, "RUNNING");
        var second = await _node.SubmitIdAsync(new { operation = "Sleep", parameters = new { seconds } });
        var job = await _node.WaitForTerminalAsync(second);
        Assert.Equal("FAILED_BEFORE_COMPLETION_RETRY", TestNode.Status(job));
        Assert.Equal(45, job["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal($"sleeper-{seconds}", job["target"]!.GetValue<string>());
        await _node.CancelAsync(holder);
        await _node.WaitForTerminalAsync(holder);
    }

    [Fact]
    public async Task Automatic_retry_creates_linked_jobs_and_stops_at_maxAttempts()
    {
        var first = await _node.SubmitIdAsync(new { operation = "Flaky" });
        var chain = new List<JsonObject> { await _node.WaitUntilAsync(first, j => j["retriedBy"] is not null) };
        while (chain.Count < 3)
        {
            var next = chain[^1]["retriedBy"]!.GetValue<long>();
            chain.Add(await _node.WaitUntilAsync(next, j => chain.Count == 2 ? TestNode.Status(j) != "NOT_STARTED" && TestNode.Status(j) != "RUNNING" : j["retriedBy"] is not null));
        }

        Assert.All(chain, j => Assert.Equal("FAILED_BEFORE_COMPLETION_RETRY", TestNode.Status(j)));
        Assert.Equal(chain[0]["jobId"]!.GetValue<long>(), chain[1]["retryOf"]!.GetValue<long>());
        Assert.Equal(chain[1]["jobId"]!.GetValue<long>(), chain[2]["retryOf"]!.GetValue<long>());
        Assert.Null(chain[2]["retriedBy"]);
        Assert.Equal(3, await _node.CountJobsAsync());
    }

    [Theory]
    [InlineData("{\"operation\":\"Archive\"}", "parameters.path")]
    [InlineData("{\"operation\":\"Archive\",\"parameters\":{\"path\":\"relative/x\"}}", "parameters.path")]
    [InlineData("{\"operation\":\"Archive\",\"parameters\":{\"path\":\"/x\",\"mode\":\"slow\"}}", "parameters.mode")]
    [InlineData("{\"operation\":\"Archive\",\"parameters\":{\"path\":\"/x\",\"level\":10}}", "parameters.level")]
    public async Task A_bad_parameter_is_400_naming_it_and_creates_nothing(string body, string field)
    {
        var response = await _node.Http.PostAsync("/api/v1/jobs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == field);
        Assert.Equal(0, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_sensitive_value_is_in_no_answer_and_not_in_the_database_in_plain_text()
    {
        const string Secret = "hunter2-s3cr3t-value";
        var submitted = await _node.SubmitAsync(new { operation = "Archive", parameters = new { path = "/data/x", token = Secret } });
        var id = submitted["jobId"]!.GetValue<long>();
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        var answers = new[]
        {
            submitted.ToJsonString(),
            job.ToJsonString(),
            await _node.Http.GetStringAsync("/api/v1/jobs"),
            await _node.Http.GetStringAsync($"/api/v1/jobs/{id}/events"),
            await _node.Http.GetStringAsync("/api/v1/operations"),
        };
        Assert.All(answers, a => Assert.DoesNotContain(Secret, a, StringComparison.Ordinal));
        Assert.Equal("***", job["parameters"]!["token"]!.GetValue<string>());

        var store = (Jobwright.Sqlite.SqliteJobStore)_node.Services.GetService(typeof(Jobwright.Storage.IJobStore))!;
        await using var connection = new SqliteConnection($"Data Source={store.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT parameters || coalesce(results, '') || coalesce(messages, '') FROM jobs";
        var row = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain(Secret, row, StringComparison.Ordinal);
        Assert.Contains("enc:v1:", row, StringComparison.Ordinal);
    }

    private static int Sleepers(int seconds) =>
        Directory.EnumerateDirectories("/proc").Count(directory =>
        {
            try
            {
                var status = File.ReadAllText(Path.Combine(directory, "stat"));
                var state = status[(status.LastIndexOf(')') + 2)..][0];
                var command = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                return state != 'Z' && command == $"sleep {seconds}";
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        });

    // The processes' state has no event to wait on: look again every 50 ms, for up to 10 s.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the processes did not reach the expected state");
            await tick.WaitForNextTickAsync();
        }
    }
}
