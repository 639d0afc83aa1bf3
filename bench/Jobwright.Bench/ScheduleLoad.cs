using System.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Bench;

/// <summary>
/// 10,000 schedules due at the same instant on one SQLite node: how fast the node turns them into jobs, and how
/// late each job is submitted after its due time (the store's timeSubmitted minus the due time).
/// </summary>
internal static class ScheduleLoad
{
    public static async Task<(double JobsPerSecond, List<double> DelaysMs, TimeSpan Creating)> RunAsync(BenchNode node, int schedules)
    {
        var due = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 20);
        var creating = Stopwatch.StartNew();
        await Parallel.ForAsync(0, schedules, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            await node.Jobs.CreateScheduleAsync(
                new ScheduleRequest { Name = $"s{i}", Operation = "NoOp", Group = "Bench", Interval = TimeSpan.FromHours(1), Start = due }, "bench", ct));
        creating.Stop();
        if (DateTimeOffset.UtcNow >= due)
        {
            throw new InvalidOperationException($"creating {schedules} schedules took {creating.Elapsed}: past their due time; raise the margin.");
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var submitted = 0;
        using var subscription = node.Jobs.Changes.Subscribe(change =>
        {
            if (change.Status == JobStatus.NotStarted && change.Version == 1 && Interlocked.Increment(ref submitted) == schedules)
            {
                done.TrySetResult();
            }
        });
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));

        var delays = new List<double>(schedules);
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        long? before = null;
        do
        {
            var page = await node.Jobs.ListAsync(new JobQuery { BeforeId = before, Limit = 1000 }, CancellationToken.None);
            foreach (var job in page.Jobs.Where(j => j.ScheduleId is not null))
            {
                delays.Add((job.TimeSubmitted - due).TotalMilliseconds);
                first = job.TimeSubmitted < first ? job.TimeSubmitted : first;
                last = job.TimeSubmitted > last ? job.TimeSubmitted : last;
            }

            before = page.NextBeforeId;
        }
        while (before is not null);

        delays.Sort();
        return (schedules / Math.Max(0.001, (last - first).TotalSeconds), delays, creating.Elapsed);
    }
}
