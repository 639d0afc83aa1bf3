using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Jobwright.TestSupport;

namespace Jobwright.Bench;

/// <summary>
/// The memory of a real <c>jobwright serve</c> node (SQLite, the sample operations, its own GC settings) while many
/// jobs are submitted to it over HTTP and run: its resident set sampled from /proc every 100 ms, and its peak
/// (<c>VmHWM</c>) at the end.
/// </summary>
internal static class ServeRss
{
    private const int Submitters = 64;
    private const string Job = """{"operation":"Simulate","parameters":{"tasks":1,"durationMs":0}}""";

    public sealed record Result(int Jobs, double JobsPerSecond, long PeakRss, long RssAtEnd);

    public static async Task<Result> RunAsync(int jobs)
    {
        var directory = BenchNode.NewDirectory();
        try
        {
            await using var node = await NodeProcess.StartAsync(
                "serve", "--samples", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(directory, "serve.db"), "--max-queued", "1000000");
            using var sampling = new CancellationTokenSource();
            var peakSampled = Task.Run(() => SamplePeakAsync(node.ProcessId, sampling.Token));
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < jobs)
                {
                    using var response = await node.Http.PostAsync("/api/v1/jobs", new StringContent(Job, Encoding.UTF8, "application/json"));
                    if (response.StatusCode != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
            })));

            // Drained once nothing waits or runs.
            while (await CountAsync(node, "NOT_STARTED") + await CountAsync(node, "RUNNING") > 0)
            {
                await Task.Delay(100);
            }

            clock.Stop();
            await sampling.CancelAsync();
            var sampled = await peakSampled;
            var (rss, hwm) = Memory(node.ProcessId);
            return new Result(jobs, jobs / clock.Elapsed.TotalSeconds, Math.Max(sampled, hwm), rss);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<int> CountAsync(NodeProcess node, string status)
    {
        var page = JsonNode.Parse(await node.Http.GetStringAsync($"/api/v1/jobs?status={status}&limit=1"))!;
        return page["jobs"]!.AsArray().Count;
    }

    private static async Task<long> SamplePeakAsync(int processId, CancellationToken token)
    {
        var peak = 0L;
        while (!token.IsCancellationRequested)
        {
            peak = Math.Max(peak, Memory(processId).Rss);
            try
            {
                await Task.Delay(100, token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }

    // VmRSS and VmHWM (the peak resident set) of the process, in bytes.
    private static (long Rss, long Peak) Memory(int processId)
    {
        long Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        var status = File.ReadAllLines($"/proc/{processId}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }
}
