using System.Net;

namespace Jobwright.Server.Tests;

/// <summary>Finished jobs are answered from memory after the first read, and never stale: a delete is seen at once.</summary>
public sealed class FinishedJobReadTests : IAsyncLifetime
{
    private TestNode _node = null!;

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
}
