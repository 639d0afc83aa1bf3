using System.Text;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// The starts of one batch, run as one statement just before its commit instead of one statement
/// each: at full load most of a batch is starts and finishes, and a statement's fixed cost was most of
/// a start's. A start that finds its job no longer claimed by its attempt (a cancel earlier in the
/// batch, a recovery) is refused, as it would be alone.
/// </summary>
internal sealed class SqliteMergedStarts
{
    private static readonly string Running = JobStatus.Running.ToWire();
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();

    private readonly List<Ticket> _pending = [];

    /// <summary>What became of one start; read after the batch committed.</summary>
    public sealed class Ticket(long jobId, long attempt)
    {
        public long JobId { get; } = jobId;

        public long Attempt { get; } = attempt;

        public bool Applied { get; set; }
    }

    public Ticket Add(long jobId, long attempt)
    {
        var ticket = new Ticket(jobId, attempt);
        _pending.Add(ticket);
        return ticket;
    }

    public void Reset() => _pending.Clear();

    public void Flush(SqliteWriteScope scope)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var rows = new StringBuilder("[");
        foreach (var ticket in _pending)
        {
            rows.Append(rows.Length > 1 ? ",[" : "[").Append(ticket.JobId).Append(',').Append(ticket.Attempt).Append(']');
        }

        var update = scope.Command(
            $"UPDATE jobs SET status = '{Running}', time_started = $now, version = version + 1 " +
            "FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt FROM jsonb_each(jsonb($rows))) AS start " +
            $"WHERE jobs.id = start.id AND jobs.attempt = start.attempt AND jobs.status = '{NotStarted}' RETURNING jobs.id, jobs.version");
        update.Parameters.AddWithValue("$now", scope.NowMs);
        update.Parameters.AddWithValue("$rows", rows.Append(']').ToString());
        var started = new Dictionary<long, long>(_pending.Count);
        using (var reader = update.ExecuteReader())
        {
            while (reader.Read())
            {
                started[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        // No history row: the start's entry is derived from time_started and node (StoredJobRow.History).
        foreach (var ticket in _pending)
        {
            if (started.TryGetValue(ticket.JobId, out var version))
            {
                ticket.Applied = true;
                scope.Changed(ticket.JobId, JobStatus.Running, version);
            }
        }

        _pending.Clear();
    }
}
