using System.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Bench;

/// <summary>
/// The cost of a big, old store: a node's everyday calls timed one at a time on an empty store and again after a
/// seeding step has run many jobs to their end and left many waiting (scheduled for tomorrow), all through the
/// node itself — the store's own writer, nothing written by hand.
/// </summary>
internal static class ScaleCost
{
    public sealed record Figures(
        List<double> Submit, List<double> Start, List<double> FirstPage, List<double> ById, List<double> NotStartedPage, List<double> RunningPage);

    /// <summary>Runs <paramref name="finished"/> no-op jobs to their end, then leaves <paramref name="waiting"/> scheduled a day ahead.</summary>
    public static async Task<TimeSpan> SeedAsync(BenchNode node, int finished, int waiting)
    {
        var clock = Stopwatch.StartNew();
        // In rounds, so that the start times the no-op handler notes do not pile up.
        for (var done = 0; done < finished; done += 100_000)
        {
            await Throughput.RunAsync(node, Math.Min(100_000, finished - done));
            node.Starts.Clear();
        }

        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < waiting)
            {
                await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench", NotBefore = tomorrow }, "bench", CancellationToken.None);
            }
        })));
        return clock.Elapsed;
    }

    /// <summary>Each call <paramref name="samples"/> times, one at a time, after 20 unmeasured ones.</summary>
    public static async Task<Figures> MeasureAsync(BenchNode node, int samples)
    {
        var figures = new Figures([], [], [], [], [], []);
        var random = new Random(7);
        var highest = 1L;
        for (var i = 0; i < samples + 20; i++)
        {
            var keep = i >= 20;
            var before = Stopwatch.GetTimestamp();
            var submitted = await node.Jobs.SubmitAsync(new JobSubmission { Operation = "NoOp", Group = "Bench" }, "bench", CancellationToken.None);
            var acknowledged = Stopwatch.GetTimestamp();
            var started = await node.Starts.WaitAsync(submitted.Job.JobId).WaitAsync(TimeSpan.FromSeconds(30));
            await node.Jobs.WaitForTerminalAsync(submitted.Job.JobId, TimeSpan.FromSeconds(30), CancellationToken.None);
            highest = submitted.Job.JobId;
            Add(figures.Submit, keep, before, acknowledged);
            Add(figures.Start, keep, before, started);

            before = Stopwatch.GetTimestamp();
            await node.Jobs.ListAsync(new JobQuery { Limit = 50 }, CancellationToken.None);
            Add(figures.FirstPage, keep, before, Stopwatch.GetTimestamp());

            // A job anywhere in the store, read from the store (the node's cache of recent records left out).
            var any = random.NextInt64(1, highest);
            before = Stopwatch.GetTimestamp();
            await node.Jobs.GetAsync(any, includeHistory: false, CancellationToken.None);
            Add(figures.ById, keep, before, Stopwatch.GetTimestamp());

            before = Stopwatch.GetTimestamp();
            await node.Jobs.ListAsync(new JobQuery { Statuses = [JobStatus.NotStarted], Limit = 50 }, CancellationToken.None);
            Add(figures.NotStartedPage, keep, before, Stopwatch.GetTimestamp());

            // Nothing is running between samples: the page the dashboard asks for when there is nothing to show.
            before = Stopwatch.GetTimestamp();
            await node.Jobs.ListAsync(new JobQuery { Statuses = [JobStatus.Running], Limit = 50 }, CancellationToken.None);
            Add(figures.RunningPage, keep, before, Stopwatch.GetTimestamp());
        }

        foreach (var list in new[] { figures.Submit, figures.Start, figures.FirstPage, figures.ById, figures.NotStartedPage, figures.RunningPage })
        {
            list.Sort();
        }

        return figures;
    }

    private static void Add(List<double> into, bool keep, long from, long to)
    {
        if (keep)
        {
            into.Add(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds);
        }
    }
}
