using System.Diagnostics;

namespace Jobwright.Versus;

/// <summary>The cases every system runs, each timed from inside the jobs (their first instruction).</summary>
internal static class Cases
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>N jobs created first; then the server starts, timed from its start (built already) until the last job began.</summary>
    public static async Task<double> DrainAsync(ISystemUnderTest system, int jobs)
    {
        var range = Marks.Reset(jobs);
        await system.SeedAsync(range, jobs);
        system.Prepare();
        var started = Stopwatch.GetTimestamp();
        await system.StartAsync();
        var last = await Marks.AllStarted.WaitAsync(Limit);
        return jobs / Stopwatch.GetElapsedTime(started, last).TotalSeconds;
    }

    /// <summary>The server running; N jobs submitted by 16 submitters, timed from the first submit until the last job began.</summary>
    public static async Task<double> EndToEndAsync(ISystemUnderTest system, int jobs)
    {
        await system.StartAsync();
        var range = Marks.Reset(jobs);
        var started = Stopwatch.GetTimestamp();
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < jobs; i = Interlocked.Increment(ref next))
            {
                await system.SubmitNoOpAsync(range + i);
            }
        })));
        var last = await Marks.AllStarted.WaitAsync(Limit);
        return jobs / Stopwatch.GetElapsedTime(started, last).TotalSeconds;
    }

    /// <summary>An idle server; one job at a time, from the submit call to the job's first instruction. The first 10 warm up.</summary>
    public static async Task<List<double>> IdleLatencyAsync(ISystemUnderTest system, int samples)
    {
        await system.StartAsync();
        var range = Marks.Reset(int.MaxValue);
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples + 10; i++)
        {
            var key = range + i;
            var before = Stopwatch.GetTimestamp();
            await system.SubmitNoOpAsync(key);
            var began = await Marks.StartOf(key).WaitAsync(Limit);
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(before, began).TotalMilliseconds);
            }
        }

        latencies.Sort();
        return latencies;
    }

    /// <summary>
    /// One running job at a time: from the cancel (Hangfire: delete) call to the job's token firing. A
    /// token that did not fire within 10 s is counted as never, among all cancels made (the three
    /// uncounted warm-up ones too); after three such the case stops.
    /// </summary>
    public static async Task<(List<double> Latencies, int Never, int Cancels)> CancelAsync(ISystemUnderTest system, int samples)
    {
        await system.StartAsync();
        var range = Marks.Reset(int.MaxValue);
        var latencies = new List<double>(samples);
        var never = 0;
        var cancels = 0;
        for (var i = 0; i < samples + 3 && never < 3; i++)
        {
            var key = range + i;
            var handle = await system.SubmitWaitForCancelAsync(key);
            await Marks.StartOf(key).WaitAsync(Limit);
            var before = Stopwatch.GetTimestamp();
            await system.CancelAsync(handle);
            cancels++;
            long fired;
            try
            {
                fired = await Marks.CancelOf(key).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                never++;
                continue;
            }

            if (i >= 3)
            {
                latencies.Add(Stopwatch.GetElapsedTime(before, fired).TotalMilliseconds);
            }
        }

        latencies.Sort();
        return (latencies, never, cancels);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
