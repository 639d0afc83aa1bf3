using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Server;
using Microsoft.AspNetCore.Builder;

namespace Jobwright.Dashboard.Tests;

/// <summary>A real node with the sample operations on a loopback port, for the browser to visit.</summary>
public sealed class DashboardNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private DashboardNode(WebApplication app, string directory, string url)
    {
        _app = app;
        _directory = directory;
        Url = url.TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Http { get; }

    public static async Task<DashboardNode> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var app = JobwrightNode.Build(new NodeSettings
        {
            ListenUrl = "http://127.0.0.1:0",
            SqlitePath = Path.Combine(directory, "jobwright.db"),
            Samples = true,
            Workers = 8,
            NodeName = "dashboard-node",
            ShutdownGracePeriod = TimeSpan.FromSeconds(1),
        });
        await app.StartAsync();
        return new DashboardNode(app, directory, JobwrightNode.ListeningUrl(app));
    }

    public async Task<long> SubmitAsync(object request)
    {
        var response = await Http.PostAsJsonAsync("/api/v1/jobs", request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
    }

    public async Task<JsonObject> GetAsync(long id) => (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}"))!;

    public async Task<JsonObject> WaitForAsync(long id, Func<JsonObject, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var job = await GetAsync(id);
        while (!condition(job))
        {
            job = (await Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=10s&version={job["version"]}", timeout.Token))!;
        }

        return job;
    }

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
