using Jobwright.TestSupport;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests;

/// <summary>The real jobwright program against a real node: exit codes, --json, plain progress, errors.</summary>
public sealed class ClientCommandTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;
    private string _server = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(settings: s => s with { Workers = 8 });
        _server = _node.Http.BaseAddress!.ToString();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData(0, "Simulate", "durationMs=20")]
    [InlineData(3, "Simulate", "durationMs=20", "failTasks=2")]
    [InlineData(4, "Simulate", "durationMs=20", "outcome=precondition")]
    [InlineData(5, "BrokenHandler")]
    [InlineData(6, "Simulate", "durationMs=20", "outcome=throw")]
    [InlineData(7, "Simulate", "durationMs=20", "outcome=busy")]
    public async Task Submit_and_wait_exits_with_the_code_of_the_final_status(int expected, string operation, params string[] parameters)
    {
        var arguments = new List<string> { "--server", _server, "submit", operation, "--wait" };
        foreach (var parameter in parameters)
        {
            arguments.AddRange(["-p", parameter]);
        }

        var (code, stdout, stderr) = await CliTests.RunAsync([.. arguments]);
        Assert.True(expected == code, $"exit {code}; stdout: {stdout}; stderr: {stderr}");
    }

    [Fact]
    public async Task Wait_exits_8_for_a_job_canceled_before_start_and_9_for_one_canceled_while_running()
    {
        var scheduled = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        await _node.CancelAsync(scheduled);
        Assert.Equal(8, (await CliTests.RunAsync("--server", _server, "wait", $"{scheduled}")).Code);

        var running = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 30000 } });
        await _node.WaitForStatusAsync(running, "RUNNING");
        var waiting = CliTests.RunAsync("--server", _server, "wait", $"{running}");
        await _node.CancelAsync(running);
        Assert.Equal(9, (await waiting).Code);
    }

    [Fact]
    public async Task A_job_that_has_not_ended_gives_10_for_status_and_for_a_wait_that_times_out()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 30000 } });
        await _node.WaitForStatusAsync(id, "RUNNING");
        Assert.Equal(10, (await CliTests.RunAsync("--server", _server, "status", $"{id}")).Code);
        var (code, _, stderr) = await CliTests.RunAsync("--server", _server, "wait", $"{id}", "--timeout", "300ms");
        Assert.Equal(10, code);
        Assert.Contains("still RUNNING", stderr, StringComparison.Ordinal);
        await _node.CancelAsync(id);
    }

    [Fact]
    public async Task A_job_the_node_does_not_have_gives_12_and_the_node_s_reason()
    {
        var (code, stdout, stderr) = await CliTests.RunAsync("--server", _server, "status", "999999");
        Assert.Equal(12, code);
        Assert.Empty(stdout);
        Assert.Contains("There is no job 999999", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_is_down_gives_one_line_and_11_never_a_stack_trace()
    {
        var (code, stdout, stderr) = await CliTests.RunAsync("--server", "http://127.0.0.1:9", "status", "1");
        Assert.Equal(11, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: cannot reach the node at http://127.0.0.1:9/", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_comes_from_JOBWRIGHT_SERVER_when_not_given()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10 } });
        await _node.WaitForTerminalAsync(id);
        var environment = new Dictionary<string, string?> { ["JOBWRIGHT_SERVER"] = _server };
        Assert.Equal(0, (await CliTests.RunWithEnvironmentAsync(environment, "status", $"{id}")).Code);
    }

    [Fact]
    public async Task Json_output_is_the_API_s_record()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", target = "t9", parameters = new { durationMs = 20, failTasks = "1" } });
        await _node.WaitForTerminalAsync(id);
        var (code, stdout, _) = await CliTests.RunAsync("--server", _server, "status", $"{id}", "--json");
        Assert.Equal(3, code);
        var api = JsonNode.Parse(await _node.Http.GetStringAsync($"/api/v1/jobs/{id}"));
        Assert.True(JsonNode.DeepEquals(api, JsonNode.Parse(stdout)), $"cli: {stdout}\napi: {api!.ToJsonString()}");

        var (listCode, list, _) = await CliTests.RunAsync("--server", _server, "list", "--target", "t9", "--json");
        Assert.Equal(0, listCode);
        Assert.Equal(id, JsonNode.Parse(list)!["jobs"]![0]!["jobId"]!.GetValue<long>());
        Assert.Equal("COMPLETED_WITH_WARNINGS", JsonNode.Parse(list)!["jobs"]![0]!["status"]!.GetValue<string>());

        var (_, ops, _) = await CliTests.RunAsync("--server", _server, "ops", "--json");
        Assert.Contains(JsonNode.Parse(ops)!["operations"]!.AsArray(), o => o!["name"]!.GetValue<string>() == "Migrate");
        var (_, nodes, _) = await CliTests.RunAsync("--server", _server, "nodes", "--json");
        Assert.Equal("test-node", JsonNode.Parse(nodes)!["nodes"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_prints_each_task_as_it_finishes_then_the_status()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 600, tasks = 3, failTasks = "2" } });
        var (code, stdout, _) = await CliTests.RunAsync("--server", _server, "watch", $"{id}");
        Assert.Equal(3, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var finished = lines.Where(l => l.EndsWith("OK", StringComparison.Ordinal) || l.Contains("FAILED —", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"job {id}: task \"Task 1 of 3\" OK", $"job {id}: task \"Task 2 of 3\" FAILED — task 2 failed, as failTasks asked", $"job {id}: task \"Task 3 of 3\" OK"],
            finished);
        Assert.Equal($"job {id}: COMPLETED_WITH_WARNINGS — returnCode 1", lines[^1]);
    }

    [Fact]
    public async Task Cancel_and_delete_work_and_a_second_cancel_is_refused()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var (code, stdout, _) = await CliTests.RunAsync("--server", _server, "cancel", $"{id}", "--json");
        Assert.Equal(0, code);
        Assert.Equal("CANCELED_BEFORE_START", JsonNode.Parse(stdout)!["status"]!.GetValue<string>());
        Assert.Equal(12, (await CliTests.RunAsync("--server", _server, "cancel", $"{id}")).Code);
        Assert.Equal(0, (await CliTests.RunAsync("--server", _server, "delete", $"{id}")).Code);
        Assert.Equal(12, (await CliTests.RunAsync("--server", _server, "status", $"{id}")).Code);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("submit", "Simulate", "-p", "durationMs")]
    [InlineData("status")]
    [InlineData("wait", "abc")]
    [InlineData("wait", "1", "--timeout", "soon")]
    [InlineData("list", "--status", "DONE")]
    [InlineData("list", "--limit", "0")]
    [InlineData("cancel", "-5")]
    public async Task Bad_usage_of_a_client_command_exits_2_with_a_message(params string[] arguments)
    {
        var (code, stdout, stderr) = await CliTests.RunAsync(["--server", _server, .. arguments]);
        Assert.Equal(2, code);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }
}
