using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests;

/// <summary>Finished jobs are removed once their retention has passed; others stay.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task A_finished_job_is_removed_after_the_retention_and_a_waiting_one_stays()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { Retention = TimeSpan.FromMilliseconds(400) });
        using var response = await node.Http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var waiting = await node.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var done = await node.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 10, tasks = 1 } });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (events.Current.EventType == "deleted" && JsonNode.Parse(events.Current.Data)!["jobId"]!.GetValue<long>() == done)
            {
                break;
            }
        }

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await node.Http.GetAsync($"/api/v1/jobs/{done}")).StatusCode);
        Assert.Equal("NOT_STARTED", TestNode.Status(await node.GetAsync(waiting)));
    }
}
