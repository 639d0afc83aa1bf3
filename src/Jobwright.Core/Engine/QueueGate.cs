using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// The bound on waiting jobs (SPEC §6): a submit is refused once about <c>MaxQueuedJobs</c> unclaimed
/// jobs wait, rather than letting the queue grow until the node falls over. The store is counted
/// (through its queue index, never past the limit) at most once a second while there is room; in
/// between, this node's own admissions are added to the last count. Other nodes' submits are seen at
/// the next count, so on a cluster the bound may be passed by what the nodes admit in that second.
/// Once full, submits are refused without counting again until a second has passed.
/// </summary>
internal sealed class QueueGate(IJobStore store, int limit, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _counting = new(1, 1);
    private long _queued;
    private long _admitted;
    private long _countedAt;
    private long _fullUntil;

    // Seconds a refused caller is told to wait: the next count comes that soon.
    private const int RetryAfterSeconds = 1;

    /// <summary>Admits one submit; false when the queue is full (<see cref="Full"/> is the refusal to give).</summary>
    public async Task<bool> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (TryAdmit())
        {
            return true;
        }

        if (Now < Volatile.Read(ref _fullUntil))
        {
            return false;
        }

        await _counting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have counted while this one waited.
            if (TryAdmit())
            {
                return true;
            }

            Volatile.Write(ref _queued, await store.CountQueuedAheadAsync(long.MaxValue, limit, cancellationToken).ConfigureAwait(false));
            Interlocked.Exchange(ref _admitted, 0);
            Volatile.Write(ref _countedAt, Now);
            if (!TryAdmit())
            {
                Volatile.Write(ref _fullUntil, Now + Freshness.Ticks);
                return false;
            }

            return true;
        }
        finally
        {
            _counting.Release();
        }
    }

    private long Now => time.GetUtcNow().UtcTicks;

    private bool TryAdmit()
    {
        if (Now - Volatile.Read(ref _countedAt) > Freshness.Ticks)
        {
            return false;
        }

        if (Interlocked.Increment(ref _admitted) + Volatile.Read(ref _queued) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _admitted);
        return false;
    }

    /// <summary>The <see cref="JobProblemKind.QueueFull"/> refusal of a submit.</summary>
    public JobRequestException Full() => new(
        JobProblemKind.QueueFull,
        $"The queue is full: {limit} jobs are waiting to start. Nothing was created; try again in a moment.",
        [new("queue", $"At most {limit} jobs may wait (JobwrightOptions.MaxQueuedJobs, jobwright serve --max-queued); retry after {RetryAfterSeconds}s.")])
    {
        RetryAfterSeconds = RetryAfterSeconds,
    };
}
