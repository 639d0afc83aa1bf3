using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>The command line without rough edges: suggestions for a mistyped command, one line per error, plain lists with a header, durations as people write them.</summary>
public sealed partial class CliRoughEdgeTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("submt", "did you mean 'submit'?")]
    [InlineData("lsit", "did you mean 'list'?")]
    [InlineData("frobnicate", "'frobnicate' is not a command.")]
    public async Task A_mistyped_command_is_one_line_that_suggests_the_nearest(string word, string said)
    {
        var (code, _, stderr) = await CliTests.RunAsync("--server", _node.Url, word);
        Assert.Equal(2, code);
        Assert.Contains(said, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_unknown_operation_is_said_once_and_points_to_ops()
    {
        var (code, _, stderr) = await CliTests.RunAsync("--server", _node.Url, "submit", "Nope");
        Assert.NotEqual(0, code);
        Assert.Contains("Run 'jobwright ops'", stderr, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(stderr, "Nope"));
    }

    [Fact]
    public async Task A_piped_list_is_tab_separated_with_a_header_and_local_times_without_ticks()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", target = "tsv", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var (code, stdout, _) = await CliTests.RunAsync("--server", _node.Url, "list");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ID\tSTATUS\tOPERATION\tTARGET\tSUBMITTED\tWHY NOT STARTED", lines[0]);
        var row = lines[1].Split('\t');
        Assert.Equal([id.ToString(System.Globalization.CultureInfo.InvariantCulture), "NOT_STARTED", "Sample/Simulate", "tsv"], row[..4]);
        Assert.Matches(LocalTime(), row[4]);
        Assert.Contains("scheduled", row[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_a_list_that_matches_nothing_says_so()
    {
        // util-linux's script gives the command a pseudo-terminal, as a person's shell would.
        var command = $"dotnet {Path.Combine(AppContext.BaseDirectory, "jobwright.dll")} --server {_node.Url} list --status CANCELED_WHILE_RUNNING";
        var (code, output, _) = await ProgramRun.RunAsync("script", ["-qec", command, "/dev/null"]);
        Assert.Equal(0, code);
        Assert.Contains("no jobs match", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ID\tSTATUS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_with_a_timeout_says_the_status_and_the_time_as_given()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var (code, _, stderr) = await CliTests.RunAsync("--server", _node.Url, "wait", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "1s");
        Assert.NotEqual(0, code);
        Assert.Contains($"Job {id} is still NOT_STARTED after 1s.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SQLite_node_says_its_host_process_and_operations_as_a_cluster_node_does()
    {
        var node = (await _node.Http.GetFromJsonAsync<JsonObject>("/api/v1/node"))!;
        Assert.Equal(Environment.MachineName, node["host"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessId, node["processId"]!.GetValue<int>());
        Assert.Contains("Sample/Simulate", node["operations"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public async Task Submit_not_before_takes_an_ISO_time_or_a_duration_from_now_and_refuses_anything_else()
    {
        var at = await CliTests.RunAsync("--server", _node.Url, "submit", "Simulate", "--not-before", "2099-12-24T06:00:00Z", "--json");
        Assert.True(at.Code == 0, at.Stderr);
        Assert.Equal(new DateTimeOffset(2099, 12, 24, 6, 0, 0, TimeSpan.Zero), JsonNode.Parse(at.Stdout)!["notBefore"]!.GetValue<DateTimeOffset>());

        // Counted from the command's own now: after this test's now, before the node's time of the submit (all to the millisecond, as stored).
        var before = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var later = await CliTests.RunAsync("--server", _node.Url, "submit", "Simulate", "--not-before", "10m", "--json");
        Assert.True(later.Code == 0, later.Stderr);
        var job = JsonNode.Parse(later.Stdout)!;
        var offset = job["notBefore"]!.GetValue<DateTimeOffset>() - TimeSpan.FromMinutes(10);
        Assert.True(offset >= before && offset <= job["timeSubmitted"]!.GetValue<DateTimeOffset>(), $"--not-before 10m gave {job["notBefore"]}, submitted {job["timeSubmitted"]}");

        var (code, _, stderr) = await CliTests.RunAsync("--server", _node.Url, "submit", "Simulate", "--not-before", "tomorrow");
        Assert.Equal(2, code);
        Assert.Contains("--not-before 'tomorrow'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_priority_is_stored_with_the_job_and_one_out_of_range_is_refused_naming_the_option()
    {
        var high = await CliTests.RunAsync("--server", _node.Url, "submit", "Simulate", "--not-before", "1h", "--priority", "25", "--json");
        Assert.True(high.Code == 0, high.Stderr);
        Assert.Equal(25, JsonNode.Parse(high.Stdout)!["priority"]!.GetValue<int>());

        foreach (var bad in new[] { "1001", "high" })
        {
            var (code, _, stderr) = await CliTests.RunAsync("--server", _node.Url, "submit", "Simulate", "--priority", bad);
            Assert.Equal(2, code);
            Assert.Contains("--priority takes a whole number from -1000 to 1000", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancel_by_filter_counts_with_a_dry_run_then_cancels_every_match_and_refuses_an_id_with_a_filter()
    {
        var target = "bulk-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 3; i++)
        {
            await _node.SubmitIdAsync(new { operation = "Simulate", target, notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        }

        string[] filter = ["--filter", "status=NOT_STARTED", "--filter", $"target={target}"];
        var dry = await CliTests.RunAsync(["--server", _node.Url, "cancel", .. filter, "--dry-run"]);
        Assert.True(dry.Code == 0, dry.Stderr);
        Assert.StartsWith("3 jobs match (dry run: nothing changed); first: ", dry.Stdout, StringComparison.Ordinal);

        var done = await CliTests.RunAsync(["--server", _node.Url, "cancel", .. filter]);
        Assert.True(done.Code == 0, done.Stderr);
        Assert.Equal("3 jobs matched: 3 canceled, 0 skipped", done.Stdout.Trim());
        var again = await CliTests.RunAsync(["--server", _node.Url, "cancel", .. filter, "--json"]);
        Assert.Equal(0, JsonNode.Parse(again.Stdout)!["matched"]!.GetValue<long>());

        foreach (var (arguments, message) in new (string[], string)[]
        {
            (["cancel"], "give a job id, or --filter"),
            (["cancel", "7", "--filter", "status=NOT_STARTED"], "give a job id, or --filter"),
            (["cancel", "7", "--dry-run"], "--dry-run goes with --filter"),
            (["delete", "--filter", "colour=red"], "--filter 'colour=red': give KEY=VALUE"),
            (["cancel", "--filter", "status=DONE"], "--filter status='DONE' is not a status"),
        })
        {
            var (code, _, stderr) = await CliTests.RunAsync(["--server", _node.Url, .. arguments]);
            Assert.Equal(2, code);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rerun_and_ack_resolve_an_ended_job_and_status_says_how()
    {
        var failed = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 1, outcome = "rerun" } });
        await _node.WaitForStatusAsync(failed, "COMPLETED_WITH_ERROR");
        var rerun = await CliTests.RunAsync("--server", _node.Url, "rerun", failed.ToString(System.Globalization.CultureInfo.InvariantCulture), "-p", "outcome=ok", "--note", "fixed", "--json");
        Assert.True(rerun.Code == 0, rerun.Stderr);
        var copy = JsonNode.Parse(rerun.Stdout)!;
        Assert.Equal(failed, copy["rerunOf"]!.GetValue<long>());
        var copyId = copy["jobId"]!.GetValue<long>();

        var status = await CliTests.RunAsync("--server", _node.Url, "status", failed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"job {failed}: resolved: rerun as job {copyId} by ", status.Stdout, StringComparison.Ordinal);
        Assert.Contains(" — fixed", status.Stdout, StringComparison.Ordinal);

        await _node.WaitForStatusAsync(copyId, "COMPLETED_OK");
        var ack = await CliTests.RunAsync("--server", _node.Url, "ack", copyId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--note", "checked");
        Assert.True(ack.Code == 0, ack.Stderr);
        Assert.Contains($"job {copyId}: rerun of job {failed}; resolved: acknowledged by hand", ack.Stdout, StringComparison.Ordinal);

        var twice = await CliTests.RunAsync("--server", _node.Url, "ack", copyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12, twice.Code);
        Assert.Contains("already resolved", twice.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await CliTests.RunAsync("--server", _node.Url, "rerun", "abc")).Code);

        var partial = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 1, failTasks = "2" } });
        await _node.WaitForStatusAsync(partial, "COMPLETED_WITH_WARNINGS");
        var complete = await CliTests.RunAsync("--server", _node.Url, "complete", partial.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(complete.Code == 0, complete.Stderr);
        Assert.Equal(partial, JsonNode.Parse(complete.Stdout)!["resumes"]!.GetValue<long>());
        var revert = await CliTests.RunAsync("--server", _node.Url, "revert", partial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12, revert.Code);
        Assert.Contains("completed by job", revert.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_and_resume_a_target_and_list_what_is_paused()
    {
        var target = "Sample/pause-" + Guid.NewGuid().ToString("N")[..8];
        var pause = await CliTests.RunAsync("--server", _node.Url, "pause", "--target", target, "--note", "firmware");
        Assert.True(pause.Code == 0, pause.Stderr);
        Assert.StartsWith($"target {target} paused by ", pause.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(" — firmware", pause.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Contains($"target {target} paused", (await CliTests.RunAsync("--server", _node.Url, "pauses")).Stdout, StringComparison.Ordinal);
        Assert.Equal($"target {target} resumed", (await CliTests.RunAsync("--server", _node.Url, "resume", "--target", target)).Stdout.Trim());
        Assert.Equal($"target {target} was not paused", (await CliTests.RunAsync("--server", _node.Url, "resume", "--target", target)).Stdout.Trim());

        foreach (var (arguments, message) in new (string[], string)[]
        {
            (["pause"], "give --target GROUP/TARGET or --operation GROUP/NAME"),
            (["pause", "--target", "a/b", "--operation", "c/d"], "give --target GROUP/TARGET or --operation GROUP/NAME"),
            (["resume", "--target", "lpar-1"], "--target 'lpar-1' is not GROUP/NAME"),
        })
        {
            var (code, _, stderr) = await CliTests.RunAsync(["--server", _node.Url, .. arguments]);
            Assert.Equal(2, code);
            Assert.Contains(message, stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Schedule_add_list_show_next_pause_and_rm_and_a_bad_cron_names_the_field()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var add = await CliTests.RunAsync("--server", _node.Url, "schedule", "add", name, "Simulate", "--cron", "0 6 * * 1-5", "--time-zone", "Europe/Berlin", "-p", "tasks=1", "--json");
        Assert.True(add.Code == 0, add.Stderr);
        var schedule = JsonNode.Parse(add.Stdout)!;
        var id = schedule["scheduleId"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("Europe/Berlin", schedule["timeZone"]!.GetValue<string>());

        Assert.Contains($"schedule {id} {name}: Sample/Simulate, cron '0 6 * * 1-5' (Europe/Berlin), misfire runOnce, overlap skip", (await CliTests.RunAsync("--server", _node.Url, "schedule", "list")).Stdout, StringComparison.Ordinal);
        var show = await CliTests.RunAsync("--server", _node.Url, "schedule", "show", id);
        Assert.Equal(5, show.Stdout.Split('\n').Count(l => l.StartsWith("  next: ", StringComparison.Ordinal)));
        Assert.Equal(3, (await CliTests.RunAsync("--server", _node.Url, "schedule", "next", id, "--count", "3")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(", paused", (await CliTests.RunAsync("--server", _node.Url, "schedule", "pause", id)).Stdout, StringComparison.Ordinal);
        Assert.Equal($"schedule {id} deleted", (await CliTests.RunAsync("--server", _node.Url, "schedule", "rm", id)).Stdout.Trim());

        var bad = await CliTests.RunAsync("--server", _node.Url, "schedule", "add", name, "Simulate", "--cron", "every day");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("cron", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await CliTests.RunAsync("--server", _node.Url, "schedule", "add", name, "Simulate", "--every", "often")).Code);
    }

    [Fact]
    public async Task Piped_ops_are_plain_tab_separated_rows_never_wrapped()
    {
        var (code, stdout, _) = await CliTests.RunAsync("--server", _node.Url, "ops");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("OPERATION\tTARGET\tDESCRIPTION", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Sample/Simulate\toptional\tRuns `tasks` tasks", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Equal(2, l.Count(c => c == '\t')));

        var (one, parameters, _) = await CliTests.RunAsync("--server", _node.Url, "ops", "PowerOff");
        Assert.Equal(0, one);
        Assert.Contains("operation\tstring\tno\t\"shutdown\"\tshutdown, osshutdown, dumprestart, retrydump\t", parameters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_says_in_one_line_that_the_node_has_stopped()
    {
        var directory = Directory.CreateTempSubdirectory("jobwright-stop-").FullName;
        try
        {
            await using var node = await NodeProcess.StartAsync("serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(directory, "stop.db"), "--name", "stopping-node");
            await node.StopAsync();
            Assert.EndsWith("Jobwright node stopping-node stopped", node.Output.TrimEnd(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex LocalTime();
}
