using System.Globalization;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>Explains why a NOT_STARTED job has not started, from the engine's and the store's real state (SPEC §4).</summary>
internal sealed class NotStartedReasonResolver(IJobStore store, OperationRegistry operations, JobDispatcher dispatcher, TimeProvider time)
{
    // Counting the queue ahead is a scan; past this many the sentence says "1000+".
    private const int QueueCountCap = 1000;

    private (IReadOnlyList<ClusterNode>? Nodes, DateTimeOffset ReadAt) _liveNodes;

    /// <summary>Adds the reason to a NOT_STARTED job; <paramref name="countQueue"/> false skips counting the jobs ahead (the submit path).</summary>
    public async Task<JobRecord> ExplainAsync(JobRecord job, CancellationToken cancellationToken, bool countQueue = true)
    {
        if (job.Status != JobStatus.NotStarted)
        {
            return job;
        }

        return job with { NotStartedReason = await ResolveAsync(job, countQueue, cancellationToken).ConfigureAwait(false) };
    }

    private async Task<NotStartedReason> ResolveAsync(JobRecord job, bool countQueue, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (job.NotBefore is { } notBefore && notBefore > now)
        {
            return new(NotStartedReasonCodes.Scheduled, $"scheduled for {notBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        }

        if (job.Node is { } node)
        {
            return new(NotStartedReasonCodes.Starting, $"claimed by node {node}; starting");
        }

        var operation = operations.Find(job.Group, job.Operation);
        var (servingSlots, servingBusy) = (dispatcher.WorkerSlots, dispatcher.ActiveJobs);
        if (store is IClusterStore cluster)
        {
            var qualified = $"{job.Group}/{job.Operation}";
            var serving = (await LiveNodesAsync(cluster, cancellationToken).ConfigureAwait(false))
                .Where(n => n.Operations.Contains(qualified, StringComparer.Ordinal))
                .ToArray();
            if (serving.Length == 0)
            {
                return new(NotStartedReasonCodes.NoNode, $"no live node serves operation '{qualified}'");
            }

            (servingSlots, servingBusy) = (serving.Sum(n => n.WorkerSlots), serving.Sum(n => n.JobsRunning + n.JobsClaimed));
        }
        else if (operation is null)
        {
            return new(NotStartedReasonCodes.NoNode, $"no live node serves operation '{job.Group}/{job.Operation}'");
        }
        else if (!dispatcher.IsTakingWork)
        {
            return new(NotStartedReasonCodes.NoNode, $"node {dispatcher.NodeName} is not taking work (starting or stopping)");
        }

        if (job.Target is not null)
        {
            var holder = await store.FindTargetHolderAsync($"{job.Group}/{job.Target}", cancellationToken).ConfigureAwait(false);
            if (holder is not null && holder.JobId != job.JobId)
            {
                var since = holder.TimeStarted ?? holder.TimeSubmitted;
                return new(
                    NotStartedReasonCodes.TargetBusy,
                    $"target '{job.Group}/{job.Target}' is held by job {holder.JobId} ({holder.Status.ToWire()} for {FormatDuration(now - since)})",
                    holder.JobId);
            }
        }

        if (operation?.MaxConcurrency is { } limit &&
            await store.CountActiveAsync(job.Group, job.Operation, cancellationToken).ConfigureAwait(false) >= limit)
        {
            return new(NotStartedReasonCodes.OperationLimit, $"operation '{job.Group}/{job.Operation}' concurrency limit {limit} reached");
        }

        var slots = servingBusy >= servingSlots
            ? $"all {servingSlots} worker slots are busy"
            : "queued for the next free worker slot";
        if (!countQueue)
        {
            return new(NotStartedReasonCodes.Queued, slots);
        }

        var ahead = await store.CountQueuedAheadAsync(job.JobId, QueueCountCap, cancellationToken).ConfigureAwait(false);
        var jobsAhead = ahead >= QueueCountCap ? $"{QueueCountCap}+ jobs ahead" : ahead == 1 ? "1 job ahead" : $"{ahead} jobs ahead";
        return new(NotStartedReasonCodes.Queued, $"{slots}; {jobsAhead}");
    }

    // The live nodes, read at most once a second: a page of queued jobs asks for each of them.
    private async Task<IReadOnlyList<ClusterNode>> LiveNodesAsync(IClusterStore cluster, CancellationToken cancellationToken)
    {
        var cached = _liveNodes;
        var now = time.GetUtcNow();
        if (cached.Nodes is not null && now - cached.ReadAt < TimeSpan.FromSeconds(1))
        {
            return cached.Nodes;
        }

        var nodes = await cluster.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        _liveNodes = (nodes, now);
        return nodes;
    }

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
}
