using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Jobwright.Server.Tests.Telemetry;

/// <summary>A line a handler logs while its job runs carries the job's id and the job's trace and span ids as scope.</summary>
public sealed class LogScopeTests
{
    [Fact]
    public async Task A_handlers_log_line_carries_the_job_id_and_the_trace_of_the_request_that_submitted_it()
    {
        await using var node = await TestNode.StartAsync(b =>
        {
            b.Services.AddFakeLogging();
            b.AddOperation<LoggingHandler>("Log", "Trace");
        });
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { operation = "Log", group = "Trace" }) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["jobId"]!.GetValue<long>();
        await node.WaitUntilAsync(jobId, j => j["status"]!.GetValue<string>() == "COMPLETED_OK");

        var line = Assert.Single(node.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Message == "the handler of the job speaks");
        var scope = line.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).ToArray();
        Assert.Contains(new KeyValuePair<string, object?>("JobId", jobId), scope);
        Assert.Contains(scope, kv => kv.Key == "TraceId" && kv.Value?.ToString() == traceId.ToHexString());
        Assert.Contains(scope, kv => kv.Key == "SpanId" && kv.Value is not null);
    }

    private sealed class LoggingHandler : IJobHandler
    {
        public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
        {
#pragma warning disable CA1848, CA2254 // A plain log line is what a handler author writes.
            context.Logger.LogInformation("the handler of the job speaks");
#pragma warning restore CA1848, CA2254
            return Task.FromResult(JobOutcome.Completed());
        }
    }
}
