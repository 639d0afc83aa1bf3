using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Sqlite;

/// <summary>
/// The finishes of one batch, run as one statement just before its commit (as the starts are, see
/// <see cref="SqliteMergedStarts"/>). A finish whose job is no longer held by its attempt in the
/// status it expects is refused and answered with the job as it is.
/// </summary>
internal sealed class SqliteMergedFinishes
{
    private readonly List<Ticket> _pending = [];

    /// <summary>One finish, and what became of it; read after the batch committed.</summary>
    public sealed class Ticket(long jobId, JobStatus from, JobFinish finish, string row)
    {
        public long JobId { get; } = jobId;

        public JobStatus From { get; } = from;

        public JobFinish Finish { get; } = finish;

        /// <summary>The finish as one element of the statement's JSON array, made by <see cref="Row"/>.</summary>
        public string Row { get; } = row;

        public FinishResult Result { get; set; } = new(false, null);
    }

    public Ticket Add(long jobId, JobStatus from, JobFinish finish, string row)
    {
        var ticket = new Ticket(jobId, from, finish, row);
        _pending.Add(ticket);
        return ticket;
    }

    /// <summary>
    /// [id, attempt, status, from, progress, results, messages, error, retryAfter], the JSON columns as
    /// text; made by the caller, off the writer's thread.
    /// </summary>
    public static string Row(long jobId, long attempt, JobStatus from, JobFinish finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        return SqliteJsonRows.Write(json =>
        {
            json.WriteStartArray();
            json.WriteNumberValue(jobId);
            json.WriteNumberValue(attempt);
            json.WriteStringValue(finish.Status.ToWire());
            json.WriteStringValue(from.ToWire());
            SqliteJsonRows.Text(json, StoredJson.Write(finish.Snapshot.Progress));
            SqliteJsonRows.Text(json, StoredJson.Write(finish.Snapshot.Results));
            SqliteJsonRows.Text(json, StoredJson.Write(finish.Snapshot.Messages));
            SqliteJsonRows.Text(json, StoredJson.Write(finish.Error));
            SqliteJsonRows.Number(json, finish.RetryAfterSeconds);
            json.WriteEndArray();
        });
    }

    public void Reset() => _pending.Clear();

    public void Flush(SqliteWriteScope scope)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var update = scope.Command(
            "UPDATE jobs SET status = f.status, time_completed = $now, progress = f.progress, results = f.results, messages = f.messages, " +
            "error = f.error, retry_after_s = f.retry_after, version = version + 1 " +
            "FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempt, value ->> 2 AS status, value ->> 3 AS from_status, value ->> 4 AS progress, " +
            "value ->> 5 AS results, value ->> 6 AS messages, value ->> 7 AS error, value ->> 8 AS retry_after FROM jsonb_each(jsonb($rows))) AS f " +
            "WHERE jobs.id = f.id AND jobs.attempt = f.attempt AND jobs.status = f.from_status " +
            "RETURNING jobs.id, jobs.version, jobs.node, jobs.cancel_requested_by");
        update.Parameters.AddWithValue("$now", scope.NowMs);
        update.Parameters.AddWithValue("$rows", Rows());
        var finished = new Dictionary<long, (long Version, string? Node, string? CanceledBy)>(_pending.Count);
        using (var reader = update.ExecuteReader())
        {
            while (reader.Read())
            {
                finished[reader.GetInt64(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }

        foreach (var ticket in _pending)
        {
            if (!finished.TryGetValue(ticket.JobId, out var row))
            {
                // Another writer decided the job (a cancel, a recovery): the caller is told how it stands.
                ticket.Result = new FinishResult(false, SqliteJobStore.ReadJob(scope, ticket.JobId));
                continue;
            }

            var status = ticket.Finish.Status;
            if (StoredJobRow.EndNeedsHistoryRow(status, ticket.Finish.Reason))
            {
                var actor = status == JobStatus.CanceledWhileRunning ? row.CanceledBy ?? row.Node : row.Node;
                scope.RecordTransition(ticket.JobId, ticket.From, status, row.Node, actor, ticket.Finish.Reason);
            }

            scope.Changed(ticket.JobId, status, row.Version);
            ticket.Result = new FinishResult(true, null);
        }

        _pending.Clear();
    }

    private string Rows() => "[" + string.Join(',', _pending.Select(t => t.Row)) + "]";
}
