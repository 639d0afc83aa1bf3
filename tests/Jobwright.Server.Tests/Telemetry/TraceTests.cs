using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Handlers;
using Jobwright.Node;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Jobwright.Server.Tests.Telemetry;

/// <summary>
/// One job submitted over HTTP is one trace: the HTTP request, the submit, the claim, the run and each task,
/// each the child of the right span, exported through OpenTelemetry's in-memory exporter; also when another
/// node of a PostgreSQL cluster runs the job, and when a retry starts a trace linked to the job it retries.
/// </summary>
public sealed class TraceTests
{
    private const string JobwrightSource = "Jobwright";

    [Fact]
    public async Task A_job_submitted_over_http_is_one_trace_from_the_request_to_each_task()
    {
        var spans = new SpanLog();
        await using var node = await TestNode.StartAsync(b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var jobId = await SubmitTracedAsync(node.Http, traceId, callerSpan, new { operation = "Simulate", parameters = new { tasks = 2, durationMs = 20, failTasks = "2" } });

        var run = await spans.WaitForAsync(s => s.TraceId == traceId && s.DisplayName == "process Sample/Simulate");
        var trace = spans.Trace(traceId);
        var http = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityKind.Server, http.Kind);
        Assert.Equal(callerSpan, http.ParentSpanId);

        var submit = Assert.Single(trace, s => s.DisplayName == "create Sample/Simulate");
        Assert.Equal(JobwrightSource, submit.Source.Name);
        Assert.Equal(ActivityKind.Producer, submit.Kind);
        Assert.Equal(http.SpanId, submit.ParentSpanId);
        Assert.Equal(jobId, submit.GetTagItem("jobwright.job.id"));
        Assert.Equal($"00-{traceId}-{submit.SpanId}-01", (await node.GetAsync(jobId))["traceParent"]!.GetValue<string>());

        var claim = Assert.Single(trace, s => s.DisplayName == "claim Sample/Simulate");
        Assert.Equal(submit.SpanId, claim.ParentSpanId);
        Assert.Equal("test-node", claim.GetTagItem("jobwright.node"));

        Assert.Equal(ActivityKind.Consumer, run.Kind);
        Assert.Equal(submit.SpanId, run.ParentSpanId);
        Assert.Equal(jobId, run.GetTagItem("jobwright.job.id"));
        Assert.Equal("Sample/Simulate", run.GetTagItem("jobwright.operation"));
        Assert.Equal("test-node", run.GetTagItem("jobwright.node"));
        Assert.NotNull(run.GetTagItem("jobwright.attempt"));
        Assert.Equal("COMPLETED_WITH_WARNINGS", run.GetTagItem("jobwright.job.status"));

        var tasks = trace.Where(s => s.DisplayName.StartsWith("task ", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToArray();
        Assert.Equal(["task Task 1 of 2", "task Task 2 of 2"], tasks.Select(t => t.DisplayName));
        Assert.All(tasks, t => Assert.Equal(run.SpanId, t.ParentSpanId));
        Assert.Equal(["OK", "FAILED"], tasks.Select(t => (string)t.GetTagItem("jobwright.task.status")!));
        Assert.Equal(ActivityStatusCode.Error, tasks[1].Status);
    }

    [Fact]
    public async Task A_retry_starts_a_trace_of_its_own_linked_to_the_job_it_retries()
    {
        var spans = new SpanLog();
        await using var node = await TestNode.StartAsync(b =>
        {
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            b.AddOperation<RerunNeededHandler>("Rerun", "Trace", op => op with { Retry = new RetryPolicy(2, TimeSpan.Zero, [JobStatus.CompletedWithError]) });
        });
        var traceId = ActivityTraceId.CreateRandom();

        var first = await SubmitTracedAsync(node.Http, traceId, ActivitySpanId.CreateRandom(), new { operation = "Rerun", group = "Trace" });

        var firstSubmit = await spans.WaitForAsync(s => s.TraceId == traceId && s.DisplayName == "create Trace/Rerun");
        var retrySubmit = await spans.WaitForAsync(s => s.DisplayName == "create Trace/Rerun" && Equals(s.GetTagItem("jobwright.job.retry_of"), first));
        Assert.NotEqual(traceId, retrySubmit.TraceId);
        var link = Assert.Single(retrySubmit.Links);
        Assert.Equal(firstSubmit.TraceId, link.Context.TraceId);
        Assert.Equal(firstSubmit.SpanId, link.Context.SpanId);
        var retryRun = await spans.WaitForAsync(s => s.TraceId == retrySubmit.TraceId && s.DisplayName == "process Trace/Rerun");
        Assert.Equal(retrySubmit.SpanId, retryRun.ParentSpanId);
        Assert.Equal(first, retryRun.GetTagItem("jobwright.job.retry_of"));
    }

    [Fact]
    public async Task A_job_run_by_another_node_of_the_cluster_continues_the_submitters_trace()
    {
        var spans = new SpanLog();
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync("trace");
        var key = Path.Combine(Path.GetTempPath(), "jobwright-trace-" + Guid.NewGuid().ToString("N") + ".key");
        NodeSettings OnCluster(NodeSettings s, string name) => s with { PostgresConnectionString = database, KeyFile = key, NodeName = name, Workers = 1 };
        // The submitter's only slot is taken by a job that waits for its gate: the other node must run the traced one.
        await using var submitter = await TestNode.StartAsync(b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)), s => OnCluster(s, "node-a"));
        var holder = await submitter.SubmitIdAsync(new { operation = "Probe", group = "Test" });
        await submitter.Services.GetRequiredService<ProbeLog>().For(submitter.Services.GetRequiredService<ProbeLog>().Started, holder).Task.WaitAsync(TimeSpan.FromSeconds(60));
        await using var runner = await TestNode.StartAsync(settings: s => OnCluster(s, "node-b"));
        var (traceId, callerSpan) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var jobId = await SubmitTracedAsync(submitter.Http, traceId, callerSpan, new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 10 } });

        var run = await spans.WaitForAsync(s => s.TraceId == traceId && s.DisplayName == "process Sample/Simulate");
        var trace = spans.Trace(traceId);
        var submit = Assert.Single(trace, s => s.DisplayName == "create Sample/Simulate");
        Assert.Equal(Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore").SpanId, submit.ParentSpanId);
        Assert.Equal("node-b", run.GetTagItem("jobwright.node"));
        Assert.Equal(jobId, run.GetTagItem("jobwright.job.id"));
        Assert.Equal(submit.SpanId, run.ParentSpanId);
        Assert.Equal(submit.SpanId, Assert.Single(trace, s => s.DisplayName == "claim Sample/Simulate").ParentSpanId);
        Assert.Equal(run.SpanId, Assert.Single(trace, s => s.DisplayName == "task Task 1 of 1").ParentSpanId);
        // PostgreSQL's own spans (Npgsql) join the request that reads the job. (Writes are batched: one commit
        // serves many jobs, so a commit's span is a trace of its own.)
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{jobId}"))
        {
            read.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            (await submitter.Http.SendAsync(read)).EnsureSuccessStatusCode();
        }

        var readRequest = await spans.WaitForAsync(s => s.TraceId == traceId && s.DisplayName.StartsWith("GET ", StringComparison.Ordinal));
        Assert.Contains(spans.Trace(traceId), s => s.Source.Name == "Npgsql" && s.ParentSpanId == readRequest.SpanId);
        submitter.Services.GetRequiredService<ProbeLog>().Gate.TrySetResult();
    }

    [Fact]
    public async Task With_telemetry_off_a_job_makes_no_span_and_stores_no_trace_context()
    {
        var spans = new SpanLog();
        await using var node = await TestNode.StartAsync(b =>
        {
            b.Services.Configure<Jobwright.Hosting.JobwrightOptions>(o => o.Telemetry = false);
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        });
        var traceId = ActivityTraceId.CreateRandom();

        var jobId = await SubmitTracedAsync(node.Http, traceId, ActivitySpanId.CreateRandom(), new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 10 } });

        var job = await node.WaitUntilAsync(jobId, j => TestNode.Status(j) == "COMPLETED_OK");
        Assert.Null(job["traceParent"]);
        // The request's own span is there (ASP.NET Core's); none of Jobwright's.
        await spans.WaitForAsync(s => s.TraceId == traceId && s.Source.Name == "Microsoft.AspNetCore");
        Assert.DoesNotContain(spans.Trace(traceId), s => s.Source.Name == JobwrightSource);
    }

    private static async Task<long> SubmitTracedAsync(HttpClient http, ActivityTraceId traceId, ActivitySpanId callerSpan, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["jobId"]!.GetValue<long>();
    }

    private sealed class RerunNeededHandler : IJobHandler
    {
        public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) =>
            Task.FromResult(JobOutcome.RerunNeeded("the test asks for a rerun"));
    }
}
