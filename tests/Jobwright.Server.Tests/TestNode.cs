using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Server;
using Microsoft.AspNetCore.Builder;

namespace Jobwright.Server.Tests;

/// <summary>A real node on a loopback port with its own SQLite file, and an HTTP client for it.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly string _directory;

    private TestNode(WebApplication app, string directory, HttpClient http)
    {
        _app = app;
        _directory = directory;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestNode> StartAsync(Action<JobwrightBuilder>? configure = null, Func<NodeSettings, NodeSettings>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var nodeSettings = new NodeSettings
        {
            ListenUrl = "http://127.0.0.1:0",
            SqlitePath = Path.Combine(directory, "jobwright.db"),
            Samples = true,
            Workers = 4,
            NodeName = "test-node",
            ShutdownGracePeriod = TimeSpan.FromSeconds(2),
        };
        var app = JobwrightNode.Build(settings?.Invoke(nodeSettings) ?? nodeSettings, b =>
        {
            b.AddTestOperations();
            configure?.Invoke(b);
        });
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(JobwrightNode.ListeningUrl(app)), Timeout = TimeSpan.FromSeconds(60) };
        return new TestNode(app, directory, http);
    }

    public async Task<JsonObject> SubmitAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/jobs", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit answered {(int)response.StatusCode}: {body}");
        Assert.Equal($"/api/v1/jobs/{JsonNode.Parse(body)!["jobId"]}", response.Headers.Location?.ToString());
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<long> SubmitIdAsync(object request) => (await SubmitAsync(request))["jobId"]!.GetValue<long>();

    public async Task<JsonObject> GetAsync(long jobId)
    {
        var response = await Http.GetAsync($"/api/v1/jobs/{jobId}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Long-polls the job until <paramref name="condition"/> holds; fails after the timeout.</summary>
    public async Task<JsonObject> WaitUntilAsync(long jobId, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var job = await GetAsync(jobId);
        while (!condition(job))
        {
            var version = job["version"]!.GetValue<long>();
            try
            {
                var response = await Http.GetAsync($"/api/v1/jobs/{jobId}?wait=10s&version={version}", cts.Token);
                response.EnsureSuccessStatusCode();
                job = JsonNode.Parse(await response.Content.ReadAsStringAsync(cts.Token))!.AsObject();
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                Assert.Fail($"job {jobId} did not reach the expected state in time; it is {job.ToJsonString()}");
            }
        }

        return job;
    }

    public Task<JsonObject> WaitForStatusAsync(long jobId, string status, TimeSpan? timeout = null) =>
        WaitUntilAsync(jobId, j => Status(j) == status, timeout);

    public Task<JsonObject> WaitForTerminalAsync(long jobId, TimeSpan? timeout = null) =>
        WaitUntilAsync(jobId, j => Status(j) is not ("NOT_STARTED" or "RUNNING"), timeout);

    public async Task<JsonObject> CancelAsync(long jobId)
    {
        var response = await Http.PostAsync($"/api/v1/jobs/{jobId}/cancel", null);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<int> CountJobsAsync()
    {
        var list = await Http.GetFromJsonAsync<JsonObject>("/api/v1/jobs?limit=1000");
        return list!["jobs"]!.AsArray().Count;
    }

    public static string Status(JsonObject job) => job["status"]!.GetValue<string>();

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
