using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;

namespace Jobwright.Cluster.Tests;

/// <summary>
/// Submits quick Simulate jobs to the nodes in turn until stopped, keeping what was acknowledged (202) and
/// how long each refusal took; every answer that is not a 202 must be a 503 with Retry-After.
/// </summary>
internal sealed class SubmitLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public SubmitLoad(IReadOnlyList<NodeProcess> nodes) => _running = Task.Run(() => RunAsync(nodes));

    public ConcurrentQueue<long> Acknowledged { get; } = new();

    public ConcurrentQueue<double> RefusalMilliseconds { get; } = new();

    public CountSignal AcknowledgedCount { get; } = new();

    public CountSignal RefusedCount { get; } = new();

    /// <summary>Stops submitting and waits for the last answer; a wrong answer fails here.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            try
            {
                await _running;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The test has already failed on its own assertion; this one would only hide it.
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<NodeProcess> nodes)
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await nodes[i % nodes.Count].Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 100, tasks = 1 } });
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Acknowledged.Enqueue((await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>());
                AcknowledgedCount.Increment();
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"a submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to try again");
                RefusalMilliseconds.Enqueue(clock.Elapsed.TotalMilliseconds);
                RefusedCount.Increment();
            }
        }
    }
}
