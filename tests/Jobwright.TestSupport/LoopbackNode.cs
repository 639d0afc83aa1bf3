using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Node;
using Jobwright.Server;
using Microsoft.AspNetCore.Builder;

namespace Jobwright.TestSupport;

/// <summary>
/// A real node in the test's own process, on a loopback port with its own SQLite file in a temporary
/// directory (removed when disposed), and an HTTP client for it.
/// </summary>
public sealed class LoopbackNode : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly string _directory;

    private LoopbackNode(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        Url = JobwrightNode.ListeningUrl(app).TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The node's base address, without a trailing slash.</summary>
    public string Url { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a node with the sample operations, 4 worker slots and a 2 s shutdown grace; <paramref name="settings"/> may change any of it.</summary>
    public static async Task<LoopbackNode> StartAsync(Func<NodeSettings, NodeSettings>? settings = null, Action<JobwrightBuilder>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var defaults = new NodeSettings
        {
            ListenUrl = "http://127.0.0.1:0",
            SqlitePath = Path.Combine(directory, "jobwright.db"),
            Samples = true,
            Workers = 4,
            NodeName = "test-node",
            ShutdownGracePeriod = TimeSpan.FromSeconds(2),
        };
        var app = JobwrightNode.Build(settings?.Invoke(defaults) ?? defaults, configure);
        await app.StartAsync();
        return new LoopbackNode(app, directory);
    }

    /// <summary>Submits a job; anything but <c>202 Accepted</c> with the job's <c>Location</c> throws, with the answer.</summary>
    public async Task<JsonObject> SubmitAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/jobs", request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"submit answered {(int)response.StatusCode}: {body}");
        }

        var job = JsonNode.Parse(body)!.AsObject();
        var location = $"/api/v1/jobs/{job["jobId"]}";
        if (response.Headers.Location?.ToString() != location)
        {
            throw new InvalidOperationException($"submit answered Location {response.Headers.Location}, not {location}");
        }

        return job;
    }

    public async Task<long> SubmitIdAsync(object request) => (await SubmitAsync(request))["jobId"]!.GetValue<long>();

    public async Task<JsonObject> GetAsync(long jobId)
    {
        var response = await Http.GetAsync($"/api/v1/jobs/{jobId}");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Long-polls the job until <paramref name="condition"/> holds; throws, with the job as last seen, after the timeout.</summary>
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
                throw new TimeoutException($"job {jobId} did not reach the expected state in time; it is {job.ToJsonString()}");
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
