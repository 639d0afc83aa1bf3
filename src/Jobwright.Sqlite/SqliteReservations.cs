using System.Collections.Concurrent;

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

    /// <summary>Forgets claims made in a batch that failed.</summary>
    public void Undo(IEnumerable<Reservation> made)
    {
        foreach (var reservation in made)
        {
            _byJob.TryRemove(new KeyValuePair<long, Reservation>(reservation.JobId, reservation));
        }
    }

    public void Remove(long jobId) => _byJob.TryRemove(jobId, out _);

    /// <summary>Forgets the claims of a node (all when null); returns the jobs forgotten.</summary>
    public List<long> Clear(string? node)
    {
        var cleared = new List<long>();
        foreach (var reservation in _byJob.Values)
        {
            if ((node is null || reservation.Node == node) && _byJob.TryRemove(new KeyValuePair<long, Reservation>(reservation.JobId, reservation)))
            {
                cleared.Add(reservation.JobId);
            }
        }

        return cleared;
    }
}
