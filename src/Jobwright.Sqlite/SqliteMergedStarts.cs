using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// The starts of one batch, run as one statement just before its commit instead of one statement
/// each: at full load most of a batch is starts and finishes, and a statement's fixed cost was most of
/// a start's. A start stamps its job with the attempt and node of its claim, which until then was kept
/// in memory only (<see cref="SqliteReservations"/>). A start whose job is no longer claimed by its
/// attempt, or no longer NOT_STARTED (a cancel earlier in the batch), is refused, as it would be alone.
/// </summary>
internal sealed class SqliteMergedStarts
{
    private static readonly string Running = JobStatus.Running.ToWire();
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();

    private readonly List<Ticket> _pending = [];

    /// <summary>What became of one start; read after the batch committed.</summary>
    public sealed class Ticket(long jobId, long attempt, string node)
    {
        public long JobId { get; } = jobId;

        public long Attempt { get; } = attempt;

        public string Node { get; } = node;

        public bool Applied { get; set; }
    }

    /// <summary>Queues the start of a job claimed by this attempt; a job not so claimed gets a refused ticket at once.</summary>
    public Ticket Add(SqliteReservations claims, long jobId, long attempt)
    {
        if (claims.Find(jobId) is not { } claim || claim.Attempt != attempt)
        {
            return new Ticket(jobId, attempt, string.Empty);
        }

        var ticket = new Ticket(jobId, attempt, claim.Node);
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

        var rows = SqliteJsonRows.Rows(_pending, (json, ticket) =>
        {
            json.WriteNumberValue(ticket.JobId);
            json.WriteNumberValue(ticket.Attempt);
            json.WriteStringValue(ticket.Node);
        });
        var update = scope.Command(
            $"UPDATE jobs SET status = '{Running}', time_started = $now, attempt = start.attempt, node = start.node, version = version + 1 " +
            "FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt, value ->> 2 AS node FROM jsonb_each(jsonb($rows))) AS start " +
            $"WHERE jobs.id = start.id AND jobs.attempt IS NULL AND jobs.status = '{NotStarted}' RETURNING jobs.id, jobs.version");
        update.Parameters.AddWithValue("$now", scope.NowMs);
        update.Parameters.AddWithValue("$rows", rows);
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
            // Started or refused, the claim is over.
            scope.EndClaim(ticket.JobId);
            if (started.TryGetValue(ticket.JobId, out var version))
            {
                ticket.Applied = true;
                scope.Changed(ticket.JobId, JobStatus.Running, version);
            }
        }

        _pending.Clear();
    }
}
