using System.Diagnostics;
using Jobwright.Model;

namespace Jobwright.Bench;

/// <summary>
/// Retention removing a big backlog of expired jobs while submits go on: a store is seeded with finished jobs on a
/// node that keeps them, then reopened by a node whose retention has them all expired, and submits are paced at a
/// fixed rate from that node's start until the last seeded job is gone. Each submit is timed until acknowledged.
/// </summary>
internal static class RetentionLoad
{
    private const int Submitters = 32;

    /// <summary>Submits at <paramref name="perSecond"/> until <paramref name="until"/> completes; the sorted submit times in ms.</summary>
    public static async Task<List<double>> PacedSubmitsAsync(BenchNode node, double perSecond, Task until)
    {
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (!until.IsCompleted)
            {
                // The k-th submit is due k / perSecond seconds after the start, whoever makes it.
                var due = TimeSpan.FromSeconds(Interlocked.Increment(ref next) / perSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                var before = Stopwatch.GetTimestamp();
                await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None);
                mine.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            }

            lock (times)
            {
                times.AddRange(mine);
            }
        })));
        times.Sort();
        return times;
    }

    /// <summary>Completes once the job <paramref name="jobId"/> is no longer kept (retention removes the oldest first).</summary>
    public static async Task<TimeSpan> GoneAsync(BenchNode node, long jobId)
    {
        var clock = Stopwatch.StartNew();
        while (await node.Jobs.GetAsync(jobId, includeHistory: false, CancellationToken.None) is not null)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Retention had not removed job {jobId} after 10 minutes.");
            }

            await Task.Delay(50);
        }

        return clock.Elapsed;
    }

    /// <summary>Idle submits, one at a time, each run to its end before the next.</summary>
    public static async Task<List<double>> IdleSubmitsAsync(BenchNode node, int samples)
    {
        var times = new List<double>(samples);
        for (var i = 0; i < samples + 20; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var submitted = await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None);
            var acknowledged = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
            await node.Jobs.WaitForTerminalAsync(submitted.Job.JobId, TimeSpan.FromSeconds(30), CancellationToken.None);
            if (i >= 20)
            {
                times.Add(acknowledged);
            }
        }

        times.Sort();
        return times;
    }
}
