using System.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Bench;

/// <summary>
/// What target exclusivity costs a drain: no-op jobs without a target; the same number spread over many targets,
/// a few each; and jobs without a target while many wait behind one busy target. Each drain is timed from its
/// first submit until its last job is COMPLETED_OK.
/// </summary>
internal static class TargetDrain
{
    private const int Submitters = 64;

    public static Task<double> NoTargetAsync(BenchNode node, int jobs) => DrainAsync(node, jobs, _ => null);

    /// <summary><paramref name="jobs"/> jobs over <paramref name="targets"/> targets, submitted target after target.</summary>
    public static Task<double> DistinctTargetsAsync(BenchNode node, int jobs, int targets) =>
        DrainAsync(node, jobs, i => $"target-{i * targets / jobs}");

    /// <summary><paramref name="jobs"/> jobs without a target, submitted after <paramref name="behind"/> jobs queued for a target another job holds.</summary>
    public static async Task<double> BehindBusyTargetAsync(BenchNode node, int jobs, int behind)
    {
        var holder = await node.Jobs.SubmitAsync(new JobSubmission { Operation = "WaitForCancel", Group = "Bench", Target = "busy" }, "bench", CancellationToken.None);
        await node.Starts.WaitAsync(holder.Job.JobId).WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < behind; i++)
        {
            await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench", Target = "busy" }, "bench", CancellationToken.None);
        }

        var rate = await DrainAsync(node, jobs, _ => null);
        await node.Jobs.CancelAsync(holder.Job.JobId, "bench", CancellationToken.None);
        return rate;
    }

    private static async Task<double> DrainAsync(BenchNode node, int jobs, Func<int, string?> target)
    {
        var completed = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        using var subscription = node.Jobs.Changes.Subscribe(change =>
        {
            if (change.Status == JobStatus.CompletedOk && counted.TryAdd(change.JobId, true) && Interlocked.Increment(ref completed) >= jobs)
            {
                allDone.TrySetResult();
            }
        });

        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobs)
            {
                await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench", Target = target(i) }, "bench", CancellationToken.None);
            }
        })));
        await allDone.Task.WaitAsync(TimeSpan.FromMinutes(10));
        clock.Stop();
        node.Starts.Clear();
        return jobs / clock.Elapsed.TotalSeconds;
    }
}
