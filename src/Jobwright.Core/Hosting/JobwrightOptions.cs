using Jobwright.Storage;

namespace Jobwright.Hosting;

/// <summary>Settings of a Jobwright node.</summary>
public sealed class JobwrightOptions
{
    /// <summary>
    /// This node's name, shown on the jobs it runs; unique among live nodes. The default, <c>machine-pid</c>, is
    /// unique per process, so that two nodes started on one machine without a name never share one.
    /// </summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// Whether the node emits traces and metrics (docs/observability.md). On by default, at no cost while
    /// nothing listens; off, the engine records nothing and stores no trace context with new jobs.
    /// </summary>
    public bool Telemetry { get; set; } = true;

    /// <summary>
    /// How many jobs may be claimed or running at once on this node. A slot is a permit, not a thread:
    /// a job waiting on I/O or on the store costs no CPU, so the default is generous.
    /// </summary>
    public int WorkerSlots { get; set; } = Math.Max(64, Environment.ProcessorCount * 16);

    /// <summary>How long running jobs may finish after a stop was asked for, before they are interrupted.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How late a schedule's due time may be when the node looks at it and still run on time; later, it is a
    /// misfire and the schedule's misfire policy decides (as Quartz's misfireThreshold; 1 minute).
    /// </summary>
    public TimeSpan ScheduleMisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for work when nothing woke it (scheduled jobs, busy-wait deadlines).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Finished jobs are removed this long after they ended; null keeps them for ever.</summary>
    public TimeSpan? Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How many jobs may wait to start (unclaimed, NOT_STARTED) before submits are refused with a
    /// QueueFull problem (HTTP 503 with Retry-After) instead of growing the queue without bound.
    /// </summary>
    public int MaxQueuedJobs { get; set; } = 100_000;

    /// <summary>The file of the key that encrypts sensitive parameters (created on first use); <c>UseSqlite</c> puts it beside the database.</summary>
    public string SecretKeyPath { get; set; } = "jobwright.key";

    /// <summary>
    /// Refuse to start with a key file that other users may read or write. <c>UsePostgres</c> sets it: a
    /// cluster's key is copied between machines by hand, which is where a readable copy is made.
    /// </summary>
    public bool RequirePrivateKeyFile { get; set; }

    /// <summary>Creates the store; set by <c>UseSqlite</c> and the like.</summary>
    public Func<IServiceProvider, IJobStore>? StoreFactory { get; set; }

    /// <summary>Throws with a message that names the option and the fix.</summary>
    public void Validate()
    {
        if (Failures().FirstOrDefault() is { } failure)
        {
            throw new InvalidOperationException(failure);
        }
    }

    /// <summary>What is wrong with these settings, each naming the option and the fix; empty when nothing is.</summary>
    internal IEnumerable<string> Failures()
    {
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            yield return "JobwrightOptions.NodeName is empty: give the node a name.";
        }

        if (WorkerSlots is < 1 or > 4096)
        {
            yield return $"JobwrightOptions.WorkerSlots is {WorkerSlots}: use a number from 1 to 4096.";
        }

        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            yield return "JobwrightOptions.ShutdownGracePeriod is negative: use zero or more.";
        }

        if (PollInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return "JobwrightOptions.PollInterval is under 10 ms: use 10 ms or more.";
        }

        if (ScheduleMisfireThreshold < TimeSpan.FromSeconds(1))
        {
            yield return "JobwrightOptions.ScheduleMisfireThreshold is under 1 second: use 1 second or more (1 minute by default).";
        }

        if (Retention is { } retention && retention < TimeSpan.FromMilliseconds(100))
        {
            yield return "JobwrightOptions.Retention is under 100 ms: use a longer time, or null to keep finished jobs.";
        }

        if (MaxQueuedJobs < 1)
        {
            yield return $"JobwrightOptions.MaxQueuedJobs is {MaxQueuedJobs}: use 1 or more.";
        }

        if (StoreFactory is null)
        {
            yield return "No job store is configured: call UseSqlite(path) (or another store) in AddJobwright.";
        }
    }
}
