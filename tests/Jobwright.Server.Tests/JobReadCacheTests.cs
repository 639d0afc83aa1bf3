using Jobwright.TestSupport;
using System.Net;

namespace Jobwright.Server.Tests;

/// <summary>
/// Running and finished jobs are answered from memory after the first read, and never stale: a cancel,
/// a job's end or a delete is seen by the very next read.
/// </summary>
public sealed class JobReadCacheTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_finished_job_reads_the_same_every_time_and_is_gone_once_deleted()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 2 } });
        var finished = await _node.WaitForTerminalAsync(id);
        var first = await _node.GetAsync(id);
        var second = await _node.GetAsync(id);
        Assert.Equal(finished.ToJsonString(), first.ToJsonString());
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(3, second["history"]!.AsArray().Count);

        using var deleted = await _node.Http.DeleteAsync($"/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await _node.Http.GetAsync($"/api/v1/jobs/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_running_job_read_again_shows_its_cancel_at_once_and_then_its_end()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        var running = await _node.WaitUntilAsync(id, j => TestNode.Status(j) == "RUNNING" && j["progress"]!["currentTask"] is not null);
        var first = await _node.GetAsync(id);
        var second = await _node.GetAsync(id);
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.False(second["cancelRequested"]!.GetValue<bool>());

        await _node.CancelAsync(id);
        var afterCancel = await _node.GetAsync(id);
        Assert.True(
            afterCancel["cancelRequested"]!.GetValue<bool>() || TestNode.Status(afterCancel) == "CANCELED_WHILE_RUNNING",
            "the read right after the cancel answered the copy from before it: " + afterCancel.ToJsonString());
        Assert.True(afterCancel["version"]!.GetValue<long>() > second["version"]!.GetValue<long>());

        var ended = await _node.WaitForTerminalAsync(id);
        Assert.Equal("CANCELED_WHILE_RUNNING", TestNode.Status(ended));
        Assert.Equal(ended.ToJsonString(), (await _node.GetAsync(id)).ToJsonString());
    }
}
