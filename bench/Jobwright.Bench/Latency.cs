using System.Diagnostics;
using Jobwright.Model;

namespace Jobwright.Bench;

/// <summary>On an idle node, submits one job at a time and measures from the submit call to the handler's first instruction.</summary>
internal static class Latency
{
    public static async Task<List<double>> RunAsync(BenchNode node, int samples)
    {
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples + 20; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var submitted = await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None);
            var started = await node.Starts.WaitAsync(submitted.Job.JobId).WaitAsync(TimeSpan.FromSeconds(30));
            await node.Jobs.WaitForTerminalAsync(submitted.Job.JobId, TimeSpan.FromSeconds(30), CancellationToken.None);
            if (i >= 20)
            {
                // The first 20 warm the JIT and the connection pool.
                latencies.Add(Stopwatch.GetElapsedTime(before, started).TotalMilliseconds);
            }
        }

        return latencies;
    }
}
