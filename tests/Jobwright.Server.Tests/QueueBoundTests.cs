using Jobwright.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests;

/// <summary>The bounded queue (SPEC §6): a full queue refuses submits with 503 and Retry-After, creates nothing, and takes work again once there is room.</summary>
public sealed class QueueBoundTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(settings: s => s with { MaxQueuedJobs = 3 });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_creates_nothing_until_a_job_leaves_it()
    {
        // Scheduled an hour ahead: they wait in the queue, unclaimed.
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var waiting = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            waiting.Add(await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = later }));
        }

        using var refused = await _node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", notBefore = later });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("urn:jobwright:problem:queue-full", problem["type"]!.GetValue<string>());
        Assert.Contains("3 jobs are waiting", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("queue", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(3, await _node.CountJobsAsync());

        // HMC clients are told the same, in the HMC's error document.
        var hmc = new Hmc.HmcTestClient(_node.Http);
        await hmc.LogOnAsync();
        using var hmcRefused = await hmc.SendAsync(HttpMethod.Put, "/rest/api/uom/Sample/do/Simulate", Hmc.HmcTestClient.JobRequest("Simulate", "Sample"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hmcRefused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), hmcRefused.Headers.RetryAfter?.Delta);
        Assert.Equal("503", Hmc.HmcTestClient.Value(await Hmc.HmcTestClient.ObjectAsync(hmcRefused), "HTTPStatus"));
        Assert.Equal(3, await _node.CountJobsAsync());

        // Invalid requests are still told what is wrong first.
        using var invalid = await _node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "NoSuchOperation" });
        Assert.Equal(HttpStatusCode.NotFound, invalid.StatusCode);

        await _node.CancelAsync(waiting[0]);
        // The next count (at most a second later) sees the room the cancel made.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        HttpStatusCode status;
        do
        {
            await tick.WaitForNextTickAsync(limit.Token);
            using var again = await _node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", notBefore = later }, limit.Token);
            status = again.StatusCode;
            Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"submit answered {(int)status}");
        }
        while (status != HttpStatusCode.Accepted);

        Assert.Equal(4, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_full_queue_still_answers_a_resubmit_with_the_job_its_idempotency_key_made()
    {
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var first = await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = later, idempotencyKey = "order-42" });
        for (var i = 0; i < 2; i++)
        {
            await _node.SubmitIdAsync(new { operation = "Simulate", notBefore = later });
        }

        using var resubmit = await _node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", notBefore = later, idempotencyKey = "order-42" });
        Assert.Equal(HttpStatusCode.OK, resubmit.StatusCode);
        Assert.Equal(first, (await resubmit.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>());

        // A new key is a new job, and the queue has no room for it.
        using var fresh = await _node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", notBefore = later, idempotencyKey = "order-43" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fresh.StatusCode);
        Assert.Equal(3, await _node.CountJobsAsync());
    }
}
