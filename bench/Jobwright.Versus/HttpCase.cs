using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Jobwright.Versus;

/// <summary>
/// Requests per second against a real node over loopback HTTP (status reads and submits), beside a bare
/// ASP.NET Core endpoint that answers the same bytes as the status read: the ceiling of the machine and
/// of the client. The client runs in this process with <see cref="Connections"/> connections.
/// </summary>
internal static class HttpCase
{
    public const int Connections = 32;

    public static async Task<(double StatusRps, double RunningStatusRps, double SubmitRps, double CeilingRps)> RunAsync(TimeSpan duration)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-versus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var node = JobwrightNode.Build(new NodeSettings { ListenUrl = "http://127.0.0.1:0", SqlitePath = Path.Combine(directory, "http.db"), Samples = true });
        await node.StartAsync();
        try
        {
            using var http = Client(JobwrightNode.ListeningUrl(node));
            using var submitted = await http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 1 } });
            var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
            // Read once it has ended, so every read answers the same bytes.
            await http.GetAsync($"/api/v1/jobs/{id}?wait=10s");
            var body = await http.GetByteArrayAsync($"/api/v1/jobs/{id}");

            var status = await LoadAsync(http, duration, client => client.GetAsync($"/api/v1/jobs/{id}"));
            // A running job's record may change at any moment: it is read from the store every time.
            using var running = await http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 600_000, tasks = 1 } });
            var runningId = (await running.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
            var runningStatus = await LoadAsync(http, duration, client => client.GetAsync($"/api/v1/jobs/{runningId}"));
            var submits = await LoadAsync(http, duration, client => client.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 1 } }));
            var ceiling = await CeilingAsync(body, duration);
            return (status, runningStatus, submits, ceiling);
        }
        finally
        {
            await node.StopAsync();
            await node.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> CeilingAsync(byte[] body, TimeSpan duration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/status", () => Results.Bytes(body, "application/json"));
        await app.StartAsync();
        try
        {
            using var http = Client(app.Urls.First());
            return await LoadAsync(http, duration, client => client.GetAsync("/status"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    // A short warm-up, then as many requests as the connections complete in the time, each checked for success.
    private static async Task<double> LoadAsync(HttpClient http, TimeSpan duration, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        await RunForAsync(http, TimeSpan.FromSeconds(1), request);
        var clock = Stopwatch.StartNew();
        var count = await RunForAsync(http, duration, request);
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunForAsync(HttpClient http, TimeSpan duration, Func<HttpClient, Task<HttpResponseMessage>> request)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0L;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                using var response = await request(http);
                response.EnsureSuccessStatusCode();
                await response.Content.LoadIntoBufferAsync();
                Interlocked.Increment(ref count);
            }
        })));
        return count;
    }

    private static HttpClient Client(string baseAddress) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { BaseAddress = new Uri(baseAddress) };
}
