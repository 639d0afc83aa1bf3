using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Node;
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

    /// <summary>Medians over the rounds, and every round, in requests per second.</summary>
    public sealed record Result(List<double> Status, List<double> RunningStatus, List<double> Submits, List<double> Ceiling);

    // The four loads take turns, round after round, after one warm-up each: drift on the machine (and
    // the JIT's later tiers) then falls on all of them alike instead of on whichever ran last.
    public static async Task<Result> RunAsync(TimeSpan duration, int rounds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "jobwright-versus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var node = JobwrightNode.Build(new NodeSettings { ListenUrl = "http://127.0.0.1:0", SqlitePath = Path.Combine(directory, "http.db"), Samples = true });
        await node.StartAsync();
        WebApplication? bare = null;
        try
        {
            using var http = Client(JobwrightNode.ListeningUrl(node));
            using var submitted = await http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 1 } });
            var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
            // Read once it has ended, so every read answers the same bytes.
            await http.GetAsync($"/api/v1/jobs/{id}?wait=10s");
            var body = await http.GetByteArrayAsync($"/api/v1/jobs/{id}");
            using var running = await http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 600_000, tasks = 1 } });
            var runningId = (await running.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
            bare = await StartBareEndpointAsync(body);
            using var bareHttp = Client(bare.Urls.First());

            var loads = new (List<double> Rps, HttpClient Client, Func<HttpClient, Task<HttpResponseMessage>> Request)[]
            {
                ([], bareHttp, client => client.GetAsync("/status")),
                ([], http, client => client.GetAsync($"/api/v1/jobs/{id}")),
                ([], http, client => client.GetAsync($"/api/v1/jobs/{runningId}")),
                ([], http, client => client.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 0, tasks = 1 } })),
            };
            foreach (var load in loads)
            {
                await RunForAsync(load.Client, TimeSpan.FromSeconds(2), load.Request);
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var load in loads)
                {
                    var clock = Stopwatch.StartNew();
                    var count = await RunForAsync(load.Client, duration, load.Request);
                    load.Rps.Add(count / clock.Elapsed.TotalSeconds);
                }
            }

            return new Result(loads[1].Rps, loads[2].Rps, loads[3].Rps, loads[0].Rps);
        }
        finally
        {
            if (bare is not null)
            {
                await bare.StopAsync();
                await bare.DisposeAsync();
            }

            await node.StopAsync();
            await node.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<WebApplication> StartBareEndpointAsync(byte[] body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/status", () => Results.Bytes(body, "application/json"));
        await app.StartAsync();
        return app;
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
