using Jobwright.Storage;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// Ends a claimed job that never began: NOT_STARTED → FAILED_TO_START, stamping the row with the
/// claim's attempt and node (kept in memory until now, see <see cref="SqliteReservations"/>). Refused
/// when the job is no longer claimed by this attempt or no longer NOT_STARTED.
/// </summary>
internal static class SqliteFailToStart
{
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();

    public static FinishResult Run(SqliteWriteScope scope, long jobId, long attempt, JobFinish finish)
    {
        if (scope.Claims.Find(jobId) is not { } claim || claim.Attempt != attempt)
        {
            return new FinishResult(false, SqliteJobStore.ReadJob(scope, jobId));
        }

        var end = scope.Command(
            $"UPDATE jobs SET status = '{JobStatus.FailedToStart.ToWire()}', time_completed = $now, attempt = $attempt, node = $node, " +
            "progress = $progress, results = $results, messages = $messages, error = $error, retry_after_s = $retry, version = version + 1 " +
            $"WHERE id = $id AND status = '{NotStarted}' AND attempt IS NULL RETURNING version");
        end.Parameters.AddWithValue("$now", scope.NowMs);
        end.Parameters.AddWithValue("$attempt", attempt);
        end.Parameters.AddWithValue("$node", claim.Node);
        end.Parameters.AddWithValue("$progress", JobRowMapper.Db(StoredJson.Write(finish.Snapshot.Progress)));
        end.Parameters.AddWithValue("$results", JobRowMapper.Db(StoredJson.Write(finish.Snapshot.Results)));
        end.Parameters.AddWithValue("$messages", JobRowMapper.Db(StoredJson.Write(finish.Snapshot.Messages)));
        end.Parameters.AddWithValue("$error", JobRowMapper.Db(StoredJson.Write(finish.Error)));
        end.Parameters.AddWithValue("$retry", JobRowMapper.Db(finish.RetryAfterSeconds));
        end.Parameters.AddWithValue("$id", jobId);
        scope.EndClaim(jobId);
        if (end.ExecuteScalar() is not long version)
        {
            return new FinishResult(false, SqliteJobStore.ReadJob(scope, jobId));
        }

        if (StoredJobRow.EndNeedsHistoryRow(finish.Status, finish.Reason))
        {
            scope.RecordTransition(jobId, JobStatus.NotStarted, finish.Status, claim.Node, claim.Node, finish.Reason);
        }

        scope.Changed(jobId, finish.Status, version);
        return new FinishResult(true, null);
    }
}
