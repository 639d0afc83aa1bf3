using System.Collections.Concurrent;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// The jobs this store's node has claimed and not yet started or ended. One node owns a file (its lock
/// file says so), so a claim needs no write: it is kept here, and the job's row is stamped with the
/// attempt and node by its start (or its FAILED_TO_START). A crash forgets the claims, which is what
/// recovery did to claimed rows anyway. Changed only on the writer thread; read by any thread.
/// </summary>
internal sealed class SqliteReservations
{
    private readonly ConcurrentDictionary<long, Reservation> _byJob = new();

    /// <summary>One claimed job: its attempt token, the claiming node, and the limits it counts against.</summary>
    public sealed record Reservation(long JobId, long Attempt, string Node, string? TargetKey, string? LimitedOperation);

    public int Count => _byJob.Count;

    public ICollection<Reservation> All => _byJob.Values;

    public bool Holds(long jobId) => _byJob.ContainsKey(jobId);

    public Reservation? Find(long jobId) => _byJob.TryGetValue(jobId, out var reservation) ? reservation : null;

    /// <summary>Whether this attempt holds this job.</summary>
    public bool Holds(long jobId, long attempt) => _byJob.TryGetValue(jobId, out var reservation) && reservation.Attempt == attempt;

    public void Add(Reservation reservation) => _byJob[reservation.JobId] = reservation;

    /// <summary>The job as read from its row, naming the claiming node if it is claimed (the row names it only from the start).</summary>
    public JobRecord? WithClaim(JobRecord? job) =>
        job is { Status: JobStatus.NotStarted, Node: null } && Find(job.JobId) is { } claim ? job with { Node = claim.Node } : job;

    /// <summary>The oldest claimed job that holds the target, or null.</summary>
    public long? OldestOnTarget(string targetKey) => _byJob.Values.Where(c => c.TargetKey == targetKey).Select(c => (long?)c.JobId).Min();

    /// <summary>How many claimed jobs count against the limit of the operation (group/name).</summary>
    public int CountOnOperation(string qualifiedOperation) => _byJob.Values.Count(c => c.LimitedOperation == qualifiedOperation);

    /// <summary>How many claimed jobs were submitted before the job.</summary>
    public int CountBefore(long jobId) => _byJob.Values.Count(c => c.JobId < jobId);

    /// <summary>Forgets claims made in a batch that failed.</summary>
    public void Undo(IEnumerable<Reservation> made)
    {
        foreach (var reservation in made)
        {
            _byJob.TryRemove(new KeyValuePair<long, Reservation>(reservation.JobId, reservation));
        }
    }

    public void Remove(long jobId) => _byJob.TryRemove(jobId, out _);
}
