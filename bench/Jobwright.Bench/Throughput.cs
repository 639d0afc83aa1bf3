using System.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Bench;

/// <summary>Submits N no-op jobs through the library while they run, and times until the last is COMPLETED_OK.</summary>
internal static class Throughput
{
    private const int Submitters = 64;

    public static async Task<(double JobsPerSecond, long PeakRss)> RunAsync(BenchNode node, int jobs)
    {
        var completed = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = node.Jobs.Changes.Subscribe(change =>
        {
            if (change.Status == JobStatus.CompletedOk && Interlocked.Increment(ref completed) == jobs)
            {
                allDone.TrySetResult();
            }
        });

        using var sampling = new CancellationTokenSource();
        var rss = Task.Run(() => SamplePeakRss(sampling.Token));
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < jobs)
            {
                await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None);
            }
        })));
        await allDone.Task.WaitAsync(TimeSpan.FromMinutes(10));
        clock.Stop();
        await sampling.CancelAsync();
        return (jobs / clock.Elapsed.TotalSeconds, await rss);
    }

    private static async Task<long> SamplePeakRss(CancellationToken token)
    {
        var peak = 0L;
        using var process = Process.GetCurrentProcess();
        while (!token.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            try
            {
                await Task.Delay(10, token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }
}
