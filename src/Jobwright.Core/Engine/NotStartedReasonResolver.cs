using System.Globalization;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Explains why NOT_STARTED jobs have not started, from the engine's and the store's real state (SPEC §4).
/// A page of jobs is explained with at most five queries whatever its size: the paused targets and
/// operations, the live nodes (read at most once a second), the holders of its targets, the active counts of
/// its limited operations, and the head of the queue.
/// </summary>
internal sealed class NotStartedReasonResolver(IJobQueries queries, IJobStore store, OperationRegistry operations, JobDispatcher dispatcher, TimeProvider time)
{
    // Counting the queue ahead reads its head; past this many the sentence says "1000+".
    private const int QueueCountCap = 1000;

    private readonly SecondCache<IReadOnlyList<ClusterNode>> _liveNodes = new(time);

    // Every submit's answer is explained, and on PostgreSQL reading the (nearly always empty) pauses table was a
    // round trip per submit. Another node's pause shows within a second; the claim itself always reads them, so no
    // paused job starts meanwhile.
    private readonly SecondCache<IReadOnlyList<PauseRecord>> _pauses = new(time);

    /// <summary>Adds the reason to a NOT_STARTED job; <paramref name="countQueue"/> false skips counting the jobs ahead (the submit path).</summary>
    public async Task<JobRecord> ExplainAsync(JobRecord job, CancellationToken cancellationToken, bool countQueue = true) =>
        job.Status != JobStatus.NotStarted ? job : (await ExplainAsync([job], cancellationToken, countQueue).ConfigureAwait(false))[0];

    /// <summary>
    /// The reason of a job just submitted. When its store looked at the target in the submit's write
    /// (<see cref="SubmitResult.TargetSeenFree"/>, <see cref="SubmitResult.TargetHolder"/>), the holders are not read.
    /// </summary>
    public async Task<JobRecord> ExplainSubmittedAsync(SubmitResult submitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        return submitted.Job.Status != JobStatus.NotStarted
            ? submitted.Job
            : (await ExplainAsync([submitted.Job], cancellationToken, countQueue: false, KnownHolders(submitted)).ConfigureAwait(false))[0];
    }

    /// <summary>Adds the reason to every NOT_STARTED job of <paramref name="jobs"/>, in one pass over the store.</summary>
    public Task<IReadOnlyList<JobRecord>> ExplainAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken, bool countQueue = true) =>
        ExplainAsync(jobs, cancellationToken, countQueue, knownHolders: null);

    // What the submit's own write saw of its target, as the holders a page would read; null when it did not look.
    private static Dictionary<string, JobRecord>? KnownHolders(SubmitResult submitted) =>
        JobHolds.KeyOf(submitted.Job) is not { } key ? null
        : submitted.TargetHolder is { } holder ? new(StringComparer.Ordinal) { [key] = holder }
        : submitted.TargetSeenFree ? new(StringComparer.Ordinal)
        : null;

    private async Task<IReadOnlyList<JobRecord>> ExplainAsync(IReadOnlyList<JobRecord> jobs, CancellationToken cancellationToken, bool countQueue, Dictionary<string, JobRecord>? knownHolders)
    {
        if (!jobs.Any(j => j.Status == JobStatus.NotStarted))
        {
            return jobs;
        }

        var now = time.GetUtcNow();
        var serving = store is IClusterStore cluster ? await _liveNodes.GetAsync(cluster.ListNodesAsync, cancellationToken).ConfigureAwait(false) : null;
        var paused = (await _pauses.GetAsync(queries.ListPausesAsync, cancellationToken).ConfigureAwait(false)).ToDictionary(p => (p.Kind, p.Key));
        var reasons = new NotStartedReason?[jobs.Count];
        List<JobRecord>? waiting = null;
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Status == JobStatus.NotStarted && (reasons[i] = Before(jobs[i], now, serving, paused)) is null)
            {
                (waiting ??= []).Add(jobs[i]);
            }
        }

        var facts = waiting is null ? PageFacts.None : await ReadFactsAsync(waiting, countQueue, knownHolders, cancellationToken).ConfigureAwait(false);
        var explained = new JobRecord[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            explained[i] = job.Status != JobStatus.NotStarted ? job : job with { NotStartedReason = reasons[i] ?? Waiting(job, now, serving, facts, countQueue) };
        }

        return explained;
    }

    // What no query of the page decides: a schedule, a claim, no node to run it.
    private NotStartedReason? Before(JobRecord job, DateTimeOffset now, IReadOnlyList<ClusterNode>? liveNodes, Dictionary<(string, string), PauseRecord> paused)
    {
        if (job.NotBefore is { } notBefore && notBefore > now)
        {
            return new(NotStartedReasonCodes.Scheduled, $"scheduled for {notBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        }

        if (job.Node is { } node)
        {
            return new(NotStartedReasonCodes.Starting, $"claimed by node {node}; starting");
        }

        var qualified = $"{job.Group}/{job.Operation}";
        if (job.Target is not null && paused.TryGetValue((PauseKinds.Target, $"{job.Group}/{job.Target}"), out var target))
        {
            return new(NotStartedReasonCodes.TargetPaused, Paused("target", target));
        }

        if (paused.TryGetValue((PauseKinds.Operation, qualified), out var operation))
        {
            return new(NotStartedReasonCodes.OperationPaused, Paused("operation", operation));
        }

        if (liveNodes is not null)
        {
            return ServingNodes(liveNodes, qualified).Length == 0 ? new(NotStartedReasonCodes.NoNode, $"no live node serves operation '{qualified}'") : null;
        }

        if (operations.Find(job.Group, job.Operation) is null)
        {
            return new(NotStartedReasonCodes.NoNode, $"no live node serves operation '{qualified}'");
        }

        return dispatcher.IsTakingWork ? null : new(NotStartedReasonCodes.NoNode, $"node {dispatcher.NodeName} is not taking work (starting or stopping)");
    }

    private async Task<PageFacts> ReadFactsAsync(List<JobRecord> waiting, bool countQueue, Dictionary<string, JobRecord>? knownHolders, CancellationToken cancellationToken)
    {
        HashSet<string>? targets = null;
        HashSet<string>? limited = null;
        foreach (var job in waiting)
        {
            if (JobHolds.KeyOf(job) is { } key && knownHolders is null)
            {
                (targets ??= new(StringComparer.Ordinal)).Add(key);
            }

            if (operations.Find(job.Group, job.Operation)?.MaxConcurrency is not null)
            {
                (limited ??= new(StringComparer.Ordinal)).Add($"{job.Group}/{job.Operation}");
            }
        }

        return new PageFacts(
            knownHolders ?? (targets is null ? PageFacts.None.Holders : await queries.FindTargetHoldersAsync(targets, cancellationToken).ConfigureAwait(false)),
            limited is null ? PageFacts.None.Active : await queries.CountActiveAsync(limited, cancellationToken).ConfigureAwait(false),
            countQueue ? Places(await queries.QueueHeadAsync(QueueCountCap, cancellationToken).ConfigureAwait(false)) : PageFacts.None.QueueHead);
    }

    private NotStartedReason Waiting(JobRecord job, DateTimeOffset now, IReadOnlyList<ClusterNode>? liveNodes, PageFacts facts, bool countQueue)
    {
        if (JobHolds.KeyOf(job) is { } targetKey && facts.Holders.TryGetValue(targetKey, out var holder) && holder.JobId != job.JobId)
        {
            var since = holder.TimeStarted ?? holder.TimeSubmitted;
            var held = job.Target is null ? $"the previous run of schedule {job.ScheduleId}, job {holder.JobId}, has not ended" : $"target '{targetKey}' is held by job {holder.JobId}";
            return new(NotStartedReasonCodes.TargetBusy, $"{held} ({holder.Status.ToWire()} for {FormatDuration(now - since)})", holder.JobId);
        }

        var qualified = $"{job.Group}/{job.Operation}";
        if (operations.Find(job.Group, job.Operation)?.MaxConcurrency is { } limit && facts.Active.GetValueOrDefault(qualified) >= limit)
        {
            return new(NotStartedReasonCodes.OperationLimit, $"operation '{qualified}' concurrency limit {limit} reached");
        }

        var (slotCount, busy) = (dispatcher.WorkerSlots, dispatcher.ActiveJobs);
        if (liveNodes is not null)
        {
            var serving = ServingNodes(liveNodes, qualified);
            (slotCount, busy) = (serving.Sum(n => n.WorkerSlots), serving.Sum(n => n.JobsRunning + n.JobsClaimed));
        }

        var slots = busy >= slotCount ? $"all {slotCount} worker slots are busy" : "queued for the next free worker slot";
        if (!countQueue)
        {
            return new(NotStartedReasonCodes.Queued, slots);
        }

        // The head is in claim order (priority, then submit order): the jobs ahead are those before this one, the
        // higher ones among them those of a higher priority; a job past the head has at least the whole head ahead.
        var (ahead, higher) = facts.QueueHead.TryGetValue(job.JobId, out var place) ? place : (facts.QueueHead.Count, -1);
        var jobsAhead = ahead >= QueueCountCap ? $"{QueueCountCap}+ jobs ahead" : ahead == 1 ? "1 job ahead" : $"{ahead} jobs ahead";
        var higherAhead = higher > 0 ? $" ({higher} of higher priority)" : string.Empty;
        return new(NotStartedReasonCodes.Queued, $"{slots}; {jobsAhead}{higherAhead}");
    }

    private static string Paused(string what, PauseRecord pause) =>
        $"{what} '{pause.Key}' is paused{(pause.By is { } by ? " by " + by : string.Empty)} since {pause.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" +
        (pause.Note is { Length: > 0 } note ? $": {note}" : string.Empty);

    // Each job's place in the head, and how many of the jobs before it have a higher priority: the head is
    // ordered by priority, so those are the jobs before the first of its own priority.
    private static Dictionary<long, (int Ahead, int Higher)> Places(IReadOnlyList<QueuedJob> head)
    {
        var places = new Dictionary<long, (int, int)>(head.Count);
        var firstOfPriority = 0;
        for (var i = 0; i < head.Count; i++)
        {
            if (i > 0 && head[i].Priority != head[i - 1].Priority)
            {
                firstOfPriority = i;
            }

            places[head[i].JobId] = (i, firstOfPriority);
        }

        return places;
    }

    private static ClusterNode[] ServingNodes(IReadOnlyList<ClusterNode> liveNodes, string qualified) =>
        liveNodes.Where(n => n.Operations.Contains(qualified, StringComparer.Ordinal)).ToArray();

    // The live nodes, read at most once a second: a page of queued jobs asks for each of them.
    /// <summary>This node paused or resumed something: the next reason reads the pauses again.</summary>
    public void PausesChanged() => _pauses.Invalidate();

    internal static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes}m");
        }

        return duration.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.#}s");
    }

    // What the store said about a page's waiting jobs.
    private sealed record PageFacts(IReadOnlyDictionary<string, JobRecord> Holders, IReadOnlyDictionary<string, long> Active, IReadOnlyDictionary<long, (int Ahead, int Higher)> QueueHead)
    {
        public static readonly PageFacts None = new(new Dictionary<string, JobRecord>(), new Dictionary<string, long>(), new Dictionary<long, (int, int)>());
    }
}
