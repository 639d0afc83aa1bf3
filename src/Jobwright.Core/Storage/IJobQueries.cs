using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>
/// The read side of a store: what the API, the dashboard and the not-started reasons ask. The reason
/// queries take every target and operation of a page at once, so that a page of jobs is explained in a
/// fixed number of queries, however many jobs it holds. A store implements it beside <see cref="IJobStore"/>.
/// </summary>
public interface IJobQueries
{
    /// <summary>Reads one job; with its history when asked.</summary>
    Task<JobRecord?> GetAsync(long jobId, bool includeHistory, CancellationToken cancellationToken);

    /// <summary>The job an earlier submit with this idempotency key made, or null.</summary>
    Task<JobRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Lists jobs, newest first.</summary>
    Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken);

    /// <summary>How many jobs there are in each status.</summary>
    Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>For each of the target keys (<c>Group/Target</c>), the oldest job that holds it (RUNNING or claimed); a key no job holds is absent.</summary>
    Task<IReadOnlyDictionary<string, JobRecord>> FindTargetHoldersAsync(IReadOnlyCollection<string> targetKeys, CancellationToken cancellationToken);

    /// <summary>
    /// For each operation (<c>Group/Name</c>) of those given that has a concurrency limit, how many of its jobs are
    /// RUNNING or claimed; an operation with none is absent (stores may count only jobs submitted with a limit).
    /// </summary>
    Task<IReadOnlyDictionary<string, long>> CountActiveAsync(IReadOnlyCollection<string> qualifiedOperations, CancellationToken cancellationToken);

    /// <summary>
    /// The first <paramref name="limit"/> unclaimed NOT_STARTED jobs in the order a claim by priority takes
    /// them: higher priority first, then submit order.
    /// </summary>
    Task<IReadOnlyList<QueuedJob>> QueueHeadAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The paused targets and operations.</summary>
    Task<IReadOnlyList<PauseRecord>> ListPausesAsync(CancellationToken cancellationToken);
}
