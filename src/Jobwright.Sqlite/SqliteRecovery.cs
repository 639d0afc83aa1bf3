using Jobwright.Model;
using Jobwright.Storage;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>Ends what a dead node left: RUNNING → FAILED_BEFORE_COMPLETION; claimed but not begun (in memory, or stamped by an earlier version) → back to the queue.</summary>
internal static class SqliteRecovery
{
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();
    private static readonly string Running = JobStatus.Running.ToWire();

    public static RecoveryResult Run(SqliteWriteScope scope, string? node, string message)
    {
        var nodeFilter = node is null ? string.Empty : " AND node = $node";
        var running = scope.Command($"SELECT id, node, progress, results, messages FROM jobs WHERE status = '{Running}'{nodeFilter}");
        if (node is not null)
        {
            running.Parameters.AddWithValue("$node", node);
        }

        var lost = new List<(long Id, string? Node, string? Progress, string? Results)>();
        using (var reader = running.ExecuteReader())
        {
            while (reader.Read())
            {
                lost.Add((
                    reader.GetInt64(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        foreach (var (id, lostNode, progressJson, resultsJson) in lost)
        {
            var text = lostNode is null ? message : $"{message} (node {lostNode})";
            var progress = StoredJson.ReadProgress(progressJson) is var p ? p with { CurrentTask = null } : null;
            var results = JobEnds.Results(JobStatus.FailedBeforeCompletion, StoredJson.Read<Dictionary<string, string>>(resultsJson) ?? [], text);
            var fail = scope.Command(
                $"UPDATE jobs SET status = '{JobStatus.FailedBeforeCompletion.ToWire()}', time_completed = $now, progress = $progress, " +
                $"results = $results, error = $error, version = version + 1 WHERE id = $id AND status = '{Running}' RETURNING version");
            fail.Parameters.AddWithValue("$now", scope.NowMs);
            fail.Parameters.AddWithValue("$progress", StoredJson.Write(progress));
            fail.Parameters.AddWithValue("$results", StoredJson.Write(results));
            fail.Parameters.AddWithValue("$error", StoredJson.Write(new JobError(text)));
            fail.Parameters.AddWithValue("$id", id);
            var version = (long)fail.ExecuteScalar()!;
            scope.RecordTransition(id, JobStatus.Running, JobStatus.FailedBeforeCompletion, lostNode, "recovery", text);
            scope.Changed(id, JobStatus.FailedBeforeCompletion, version);
        }

        var release = scope.Command(
            $"UPDATE jobs SET attempt = NULL, node = NULL, version = version + 1 WHERE status = '{NotStarted}' AND attempt IS NOT NULL{nodeFilter} RETURNING id, version");
        if (node is not null)
        {
            release.Parameters.AddWithValue("$node", node);
        }

        // Claims of this store's own node are kept in memory (SqliteReservations): forgotten, the jobs are back in line.
        var returned = scope.Claims.All.Where(claim => node is null || claim.Node == node).Count(claim => scope.ReturnToQueue(claim.JobId));

        using (var reader = release.ExecuteReader())
        {
            while (reader.Read())
            {
                returned++;
                scope.Changed(reader.GetInt64(0), JobStatus.NotStarted, reader.GetInt64(1));
            }
        }

        return new RecoveryResult(lost.Count, returned);
    }
}
