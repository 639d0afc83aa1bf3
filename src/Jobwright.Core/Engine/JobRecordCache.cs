using System.Collections.Concurrent;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Jobs, with their history, as last read. Every write of a job is published on the change feed, which
/// empties its entry, so a job that has not changed since is answered from memory: pollers that keep
/// reading a running or finished job (scripts, dashboards, HMC clients) cost no store read. NOT_STARTED
/// jobs are never kept, as why they wait depends on other jobs. Only for a store this node alone
/// writes: on a shared store a change made on another node arrives by a notification that may be
/// lost, so nothing is cached there.
/// </summary>
internal sealed class JobRecordCache
{
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<long, JobRecord> _jobs = new();
    private long _changes;

    public JobRecordCache(JobChangeFeed feed) => feed.Subscribe(change =>
    {
        Interlocked.Increment(ref _changes);
        _jobs.TryRemove(change.JobId, out _);
    });

    /// <summary>Where the feed stands; pass it to <see cref="Keep"/> with what was read after it.</summary>
    public long Mark => Interlocked.Read(ref _changes);

    public JobRecord? Find(long jobId) => _jobs.GetValueOrDefault(jobId);

    /// <summary>Keeps a job read after <paramref name="mark"/>, unless any change came since (it may be this job's).</summary>
    public void Keep(JobRecord job, long mark)
    {
        if (job.Status == JobStatus.NotStarted)
        {
            return;
        }

        if (_jobs.Count >= Capacity)
        {
            _jobs.Clear();
        }

        _jobs[job.JobId] = job;
        if (Interlocked.Read(ref _changes) != mark)
        {
            // A change was published between the read and now: this copy may be older than it.
            _jobs.TryRemove(job.JobId, out _);
        }
    }
}
