using System.Diagnostics;
using Jobwright.Model;

namespace Jobwright.Bench;

/// <summary>
/// Cancels running jobs one at a time and measures from the cancel call to the handler's token firing:
/// through the node that runs the job, or through another node of its cluster.
/// </summary>
internal static class CancelLatency
{
    public static async Task<List<double>> RunAsync(BenchNode node, int samples, BenchNode? through = null)
    {
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples + 10; i++)
        {
            var submitted = await node.Jobs.SubmitAsync(new JobSubmission { Operation = "WaitForCancel", Group = "Bench" }, "bench", CancellationToken.None);
            var id = submitted.Job.JobId;
            await node.Starts.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
            var before = Stopwatch.GetTimestamp();
            await (through ?? node).Jobs.CancelAsync(id, "bench", CancellationToken.None);
            var fired = await node.Cancels.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
            await node.Jobs.WaitForTerminalAsync(id, TimeSpan.FromSeconds(30), CancellationToken.None);
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(before, fired).TotalMilliseconds);
            }
        }

        return latencies;
    }
}
