using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>
/// The storage seam. A store enforces the transition table itself (conditional updates), so that a
/// terminal job never changes and a job never gets two terminal statuses, whoever races. Every
/// committed change is published on the <see cref="JobChangeFeed"/> the store was given. Its reads are
/// the <see cref="IJobQueries"/> it extends.
/// </summary>
public interface IJobStore : IJobQueries, IAsyncDisposable
{
    /// <summary>A short name of the kind of store, e.g. <c>sqlite</c>.</summary>
    string Kind { get; }

    /// <summary>Opens the store and applies its migrations; refuses a schema newer than it knows.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Durably stores a NOT_STARTED job, or returns the job an earlier submit with the same idempotency key made.</summary>
    Task<SubmitResult> SubmitAsync(NewJob job, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxJobs"/> NOT_STARTED jobs for <paramref name="node"/>, respecting
    /// per-target and per-operation limits; jobs whose target is busy and whose policy says so end
    /// FAILED_BEFORE_COMPLETION_RETRY here. Claimed jobs stay NOT_STARTED until <see cref="StartAsync"/>.
    /// </summary>
    Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string node, int maxJobs, CancellationToken cancellationToken);

    /// <summary>
    /// Claims as <see cref="ClaimAsync"/> does, but the claim waits for the next job submitted through this store
    /// and is made in the same transaction, after it (one commit for both: an idle node starts a new job a round
    /// trip sooner); it is made on its own once <paramref name="claimAlone"/> completes first. Canceled, and
    /// nothing claimed, when <paramref name="cancellationToken"/> is canceled before it was made. A store that
    /// cannot hold a claim waits for <paramref name="claimAlone"/> and claims.
    /// </summary>
    async Task<IReadOnlyList<ClaimedJob>> ClaimWithNextSubmitAsync(string node, int maxJobs, Task claimAlone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimAlone);
        await claimAlone.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await ClaimAsync(node, maxJobs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>NOT_STARTED (claimed by this attempt) → RUNNING. False when refused (canceled, or not this attempt's).</summary>
    Task<bool> StartAsync(long jobId, long attempt, CancellationToken cancellationToken);

    /// <summary>Hands a claimed, not begun job back to the queue. False when it is not this attempt's.</summary>
    Task<bool> ReleaseAsync(long jobId, long attempt, CancellationToken cancellationToken);

    /// <summary>Records the progress of a RUNNING job. False when the job is not RUNNING under this attempt.</summary>
    Task<bool> ReportProgressAsync(long jobId, long attempt, JobSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a job of this attempt with a terminal status: FAILED_TO_START from a claimed NOT_STARTED job, every
    /// other terminal status from RUNNING. Not applied when the transition is illegal or the attempt lost.
    /// </summary>
    Task<FinishResult> FinishAsync(long jobId, long attempt, JobFinish finish, CancellationToken cancellationToken);

    /// <summary>NOT_STARTED → CANCELED_BEFORE_START atomically; RUNNING → cancelRequested; terminal → unchanged.</summary>
    Task<CancelResult> CancelAsync(long jobId, string? actor, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="retry"/> as a NOT_STARTED job that retries the ended job <paramref name="jobId"/> and links the two
    /// both ways (the ended job's one change after it ended), in one atomic write: a crash leaves both or neither. Null, and
    /// nothing stored, when the job has not ended, does not exist, or already has a retry.
    /// </summary>
    Task<JobRecord?> SubmitRetryAsync(long jobId, NewJob retry, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="resolution"/> on the ended job <paramref name="jobId"/> and, when given, stores
    /// <paramref name="linked"/> as a NOT_STARTED job whose id the resolution names, in one atomic write: a crash
    /// leaves both or neither. Not applied, and nothing stored, when the job does not exist, has not ended, or
    /// was resolved before (a job is resolved once).
    /// </summary>
    Task<ResolveResult> ResolveAsync(long jobId, JobResolution resolution, NewJob? linked, CancellationToken cancellationToken);

    /// <summary>Pauses a target or an operation: no claim takes its jobs until it is resumed. False (and the first pause kept) when it was paused already.</summary>
    Task<bool> PauseAsync(PauseRecord pause, CancellationToken cancellationToken);

    /// <summary>Resumes a paused target or operation; false when it was not paused.</summary>
    Task<bool> ResumeAsync(string kind, string key, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> jobs that ended before <paramref name="endedBefore"/>, with their history; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes a terminal job and its history.</summary>
    Task<DeleteOutcome> DeleteAsync(long jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Ends what a dead node left: its RUNNING jobs become FAILED_BEFORE_COMPLETION with <paramref name="message"/>,
    /// its claimed but not begun jobs return to the queue. A null node means every node (a single-node store at start).
    /// </summary>
    Task<RecoveryResult> RecoverAsync(string? node, string message, CancellationToken cancellationToken);

    /// <summary>How many unclaimed NOT_STARTED jobs were submitted before this one, counting no further than <paramref name="cap"/> (the queue bound's count).</summary>
    Task<long> CountQueuedAheadAsync(long jobId, int cap, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
