using System.Net;
using System.Text.Json.Nodes;
using Jobwright.Client;
using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Server.Tests;

/// <summary>The example of docs/client.md against a real node, and the client's retry on 503.</summary>
public sealed class ClientLibraryExampleTests
{
    [Fact]
    public async Task The_documented_client_example_runs()
    {
        await using var node = await TestNode.StartAsync();
        using var http = new HttpClient { BaseAddress = node.Http.BaseAddress };
        var client = new JobwrightClient(http);

        var job = await client.SubmitAsync(new JobSubmission
        {
            Operation = "Simulate",
            Group = "Sample",
            Parameters = new JsonObject { ["durationMs"] = 300, ["tasks"] = 3, ["failTasks"] = "2" },
            IdempotencyKey = "example-1",
        });

        var seen = new List<JobStatus>();
        await foreach (var change in client.WatchAsync(job.JobId))
        {
            seen.Add(change.Status);
        }

        var done = await client.WaitAsync(job.JobId, timeout: TimeSpan.FromMinutes(1));
        Assert.Equal(JobStatus.CompletedWithWarnings, done.Status);
        Assert.Equal(JobTaskStatus.Failed, done.Progress.CompletedTasks[1].Status);
        Assert.Equal(JobStatus.CompletedWithWarnings, seen[^1]);

        var refused = await Assert.ThrowsAsync<JobwrightApiException>(() => client.CancelAsync(done.JobId));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("urn:jobwright:problem:conflict", refused.Problem.Type);
        Assert.Equal("jobId", Assert.Single(refused.Problem.Errors).Field);

        var listed = new List<long>();
        await foreach (var recent in client.ListAllAsync(new JobListFilter { Statuses = [JobStatus.CompletedWithWarnings], Limit = 1 }))
        {
            listed.Add(recent.JobId);
        }

        Assert.Equal([job.JobId], listed);
        Assert.Equal(job.JobId, (await client.SubmitAsync(new JobSubmission { Operation = "Simulate", IdempotencyKey = "example-1" })).JobId);
        Assert.Equal("test-node", (await client.GetNodeAsync()).Name);
        Assert.Contains(await client.GetOperationsAsync(), o => o.Name == "Migrate" && o.TargetRequired);
        var powerOff = await client.GetOperationAsync("PowerOff");
        var operation = Assert.Single(powerOff.Parameters, p => p.Name == "operation");
        Assert.Equal(Jobwright.Operations.ParameterType.String, operation.Type);
        Assert.Equal("shutdown", operation.Default!.GetValue<string>());
        Assert.Equal(["shutdown", "osshutdown", "dumprestart", "retrydump"], operation.Enum!);
    }

    [Fact]
    public async Task A_503_is_retried_after_its_Retry_After_and_then_succeeds()
    {
        var handler = new FlakyHandler(failures: 2);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:1") };
        var client = new JobwrightClient(http, new JobwrightClientOptions { DefaultRetryDelay = TimeSpan.Zero });
        var node = await client.GetNodeAsync();
        Assert.Equal("flaky", node.Name);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task A_node_that_cannot_be_reached_throws_HttpRequestException()
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") };
        await Assert.ThrowsAsync<HttpRequestException>(() => new JobwrightClient(http).GetAsync(1));
    }

    // The outside world of this one test: a node that is unavailable twice, then answers.
    private sealed class FlakyHandler(int failures) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            if (Calls <= failures)
            {
                var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                unavailable.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return Task.FromResult(unavailable);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    "{\"name\":\"flaky\",\"version\":\"0\",\"store\":\"sqlite\",\"workerSlots\":1,\"jobsRunning\":0,\"jobsClaimed\":0,\"takingWork\":true,\"startedAt\":\"2026-11-29T10:00:00.000Z\"}",
                    System.Text.Encoding.UTF8,
                    "application/json"),
            });
        }
    }
}
