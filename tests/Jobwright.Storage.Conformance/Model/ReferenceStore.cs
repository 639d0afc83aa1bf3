using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Storage.Conformance.Model;

/// <summary>
/// What a store must answer, written as plainly as possible in memory: the SPEC's queue (submit order,
/// one active job per target), claims, starts, progress, cancel, ends, recovery and retention. The
/// model-based test runs every operation on a real store and on this, and compares answers and state.
/// </summary>
internal sealed class ReferenceStore
{
    private readonly SortedDictionary<long, ReferenceJob> _jobs = [];

    public IReadOnlyCollection<ReferenceJob> Jobs => _jobs.Values;

    public bool Contains(long id) => _jobs.ContainsKey(id);

    public void Submitted(long id, string? target)
    {
        if (!_jobs.TryAdd(id, new ReferenceJob(id, target)))
        {
            throw new InvalidOperationException($"the store gave id {id} twice");
        }
    }

    /// <summary>The jobs a claim of <paramref name="max"/> must take: queued ones in submit order whose target is free.</summary>
    public IReadOnlyList<long> PredictClaim(int max)
    {
        var held = _jobs.Values.Where(j => j.Target is not null && j.HoldsTarget).Select(j => j.Target!).ToHashSet(StringComparer.Ordinal);
        var chosen = new List<long>();
        foreach (var job in _jobs.Values.Where(j => j.Status == JobStatus.NotStarted && j.Claim is null))
        {
            if (chosen.Count == max)
            {
                break;
            }

            if (job.Target is not null && !held.Add(job.Target))
            {
                continue;
            }

            chosen.Add(job.Id);
        }

        return chosen;
    }

    public void Claimed(IEnumerable<long> ids, long attempt)
    {
        foreach (var id in ids)
        {
            _jobs[id].Claim = attempt;
            _jobs[id].LastAttempt = attempt;
        }
    }

    public bool Start(long id, long attempt)
    {
        if (Find(id) is not { Status: JobStatus.NotStarted } job || job.Claim != attempt)
        {
            return false;
        }

        job.Status = JobStatus.Running;
        return true;
    }

    public bool Release(long id, long attempt)
    {
        if (Find(id) is not { Status: JobStatus.NotStarted } job || job.Claim != attempt)
        {
            return false;
        }

        job.Claim = null;
        return true;
    }

    public bool Progress(long id, long attempt) => Find(id) is { Status: JobStatus.Running } job && job.Claim == attempt;

    public CancelOutcome Cancel(long id, DateTimeOffset now)
    {
        switch (Find(id))
        {
            case null:
                return CancelOutcome.NotFound;
            case { Status: JobStatus.NotStarted } queued:
                queued.End(JobStatus.CanceledBeforeStart, now);
                queued.CancelRequested = true;
                return CancelOutcome.CanceledBeforeStart;
            case { Status: JobStatus.Running } running:
                running.CancelRequested = true;
                return CancelOutcome.Requested;
            default:
                return CancelOutcome.AlreadyTerminal;
        }
    }

    /// <summary>FAILED_TO_START ends a claimed job that never began; every other end, a running job of that attempt.</summary>
    public bool Finish(long id, long attempt, JobStatus status, DateTimeOffset now)
    {
        var from = status == JobStatus.FailedToStart ? JobStatus.NotStarted : JobStatus.Running;
        if (!JobStatuses.CanTransition(from, status) || Find(id) is not { } job || job.Status != from || job.Claim != attempt)
        {
            return false;
        }

        job.End(status, now);
        return true;
    }

    /// <summary>A whole store's recovery: running jobs fail, claimed ones go back in line.</summary>
    public RecoveryResult Recover(DateTimeOffset now)
    {
        var running = _jobs.Values.Where(j => j.Status == JobStatus.Running).ToList();
        var claimed = _jobs.Values.Where(j => j.Status == JobStatus.NotStarted && j.Claim is not null).ToList();
        running.ForEach(j => j.End(JobStatus.FailedBeforeCompletion, now));
        claimed.ForEach(j => j.Claim = null);
        return new RecoveryResult(running.Count, claimed.Count);
    }

    public DeleteOutcome Delete(long id)
    {
        switch (Find(id))
        {
            case null:
                return DeleteOutcome.NotFound;
            case { Ended: null }:
                return DeleteOutcome.NotTerminal;
            default:
                _jobs.Remove(id);
                return DeleteOutcome.Deleted;
        }
    }

    public int Purge(DateTimeOffset endedBefore, int limit)
    {
        var purged = _jobs.Values.Where(j => j.Ended < endedBefore).Take(limit).Select(j => j.Id).ToList();
        purged.ForEach(id => _jobs.Remove(id));
        return purged.Count;
    }

    private ReferenceJob? Find(long id) => _jobs.GetValueOrDefault(id);
}

/// <summary>One job of the <see cref="ReferenceStore"/>.</summary>
internal sealed class ReferenceJob(long id, string? target)
{
    public long Id { get; } = id;

    public string? Target { get; } = target;

    public JobStatus Status { get; set; } = JobStatus.NotStarted;

    /// <summary>The attempt that holds the job (claimed or running); null when it is in line or ended.</summary>
    public long? Claim { get; set; }

    /// <summary>The last attempt that ever held the job, for replaying stale writes.</summary>
    public long? LastAttempt { get; set; }

    public bool CancelRequested { get; set; }

    public DateTimeOffset? Ended { get; private set; }

    public bool HoldsTarget => Status == JobStatus.Running || (Status == JobStatus.NotStarted && Claim is not null);

    public void End(JobStatus status, DateTimeOffset now)
    {
        Status = status;
        Claim = null;
        Ended = now;
    }
}
