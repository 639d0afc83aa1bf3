using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>What one write sees inside a grouped transaction: cached prepared commands, the time, and the changes to publish after commit.</summary>
internal sealed class SqliteWriteScope(SqliteConnection connection, SqliteReservations claims)
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    private readonly List<PendingTransition> _transitions = [];

    private readonly List<long> _claimsEnded = [];

    // Claims made in this batch: undone when it fails (each of its writes then runs again alone).
    private readonly List<SqliteReservations.Reservation> _claimsMade = [];

    /// <summary>The jobs claimed and not yet started or ended (see <see cref="SqliteReservations"/>).</summary>
    public SqliteReservations Claims { get; } = claims;

    public List<JobChange> Changes { get; } = [];

    /// <summary>The batch's starts, run together by <see cref="FlushMerged"/>.</summary>
    public SqliteMergedStarts Starts { get; } = new();

    /// <summary>The batch's finishes, run together by <see cref="FlushMerged"/>.</summary>
    public SqliteMergedFinishes Finishes { get; } = new();

    public long NowMs { get; set; }

    public SqliteTransaction? Transaction { get; set; }

    /// <summary>A prepared command for this SQL, reused across batches; parameters are cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Changed(long jobId, JobStatus? status, long version) => Changes.Add(new JobChange(jobId, status, version));

    /// <summary>Records a transition in the history; all of a batch's transitions are inserted by one statement before its commit.</summary>
    public void RecordTransition(long jobId, JobStatus? from, JobStatus to, string? node, string? actor, string? reason) =>
        _transitions.Add(new PendingTransition(jobId, NowMs, from?.ToWire(), to.ToWire(), node, actor, reason));

    /// <summary>Keeps a claim in memory; undone if the batch fails.</summary>
    public void Claim(SqliteReservations.Reservation claim)
    {
        Claims.Add(claim);
        _claimsMade.Add(claim);
    }

    /// <summary>Forgets the job's claim once the batch has committed (a rolled-back start or end leaves it claimed).</summary>
    public void EndClaim(long jobId) => _claimsEnded.Add(jobId);

    /// <summary>
    /// Hands a claimed job back to the queue: nothing to write, as the claim was only in memory; the
    /// change wakes the dispatchers. False when the job is no longer NOT_STARTED.
    /// </summary>
    public bool ReturnToQueue(long jobId)
    {
        EndClaim(jobId);
        var version = Command($"SELECT version FROM jobs WHERE id = $id AND status = '{JobStatus.NotStarted.ToWire()}'");
        version.Parameters.AddWithValue("$id", jobId);
        if (version.ExecuteScalar() is not long current)
        {
            return false;
        }

        Changed(jobId, JobStatus.NotStarted, current);
        return true;
    }

    /// <summary>Forgets what a rolled-back transaction recorded.</summary>
    public void Reset()
    {
        Starts.Reset();
        Finishes.Reset();
        Changes.Clear();
        _transitions.Clear();
        _claimsEnded.Clear();
        Claims.Undo(_claimsMade);
        _claimsMade.Clear();
    }

    /// <summary>What the batch decided that is kept in memory, applied once its commit is durable.</summary>
    public void AfterCommit()
    {
        foreach (var jobId in _claimsEnded)
        {
            Claims.Remove(jobId);
        }

        _claimsEnded.Clear();
        _claimsMade.Clear();
    }

    /// <summary>Runs what the batch's writes left to run together: the starts, the finishes, then the history rows of all.</summary>
    public void FlushMerged()
    {
        Starts.Flush(this);
        Finishes.Flush(this);
        FlushTransitions();
    }

    /// <summary>Inserts the batch's transitions, in order, as one statement (one bound JSON array instead of a statement each).</summary>
    private void FlushTransitions()
    {
        if (_transitions.Count == 0)
        {
            return;
        }

        var rows = SqliteJsonRows.Rows(_transitions, (json, t) =>
        {
            json.WriteNumberValue(t.JobId);
            json.WriteNumberValue(t.Time);
            SqliteJsonRows.Text(json, t.From);
            json.WriteStringValue(t.To);
            SqliteJsonRows.Text(json, t.Node);
            SqliteJsonRows.Text(json, t.Actor);
            SqliteJsonRows.Text(json, t.Reason);
        });

        var insert = Command(
            "INSERT INTO job_transitions (job_id, time, from_status, to_status, node, actor, reason) " +
            "SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM jsonb_each(jsonb($rows)) ORDER BY key");
        insert.Parameters.AddWithValue("$rows", rows);
        insert.ExecuteNonQuery();
        _transitions.Clear();
    }

    public void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    private readonly record struct PendingTransition(long JobId, long Time, string? From, string To, string? Node, string? Actor, string? Reason);
}
