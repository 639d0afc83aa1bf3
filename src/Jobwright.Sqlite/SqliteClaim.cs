using System.Security.Cryptography;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// Claims queued jobs in submit order, skipping those whose target or operation is at its limit, so a
/// job that waits for its target holds no worker slot. A blocked job whose busy policy says so (retry
/// at once, or its wait bound passed) ends FAILED_BEFORE_COMPLETION_RETRY here.
/// </summary>
internal static class SqliteClaim
{
    // How far past blocked jobs one claim looks for runnable ones.
    private const int MaxScanned = 5000;

    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();
    private static readonly string Running = JobStatus.Running.ToWire();
    private static readonly string Active = $"attempt IS NOT NULL AND status IN ('{NotStarted}', '{Running}')";

    /// <summary>Claims in the writer; returns raw rows (with their attempts) that the caller maps off the writer thread.</summary>
    public static IReadOnlyList<(object?[] Row, long Attempt)> Run(SqliteWriteScope scope, string node, int maxJobs)
    {
        var targetCounts = Counts(scope, $"SELECT target_key, COUNT(*) FROM jobs WHERE {Active} AND target_key IS NOT NULL GROUP BY target_key");
        var operationCounts = Counts(scope, $"SELECT op_group || '/' || operation, COUNT(*) FROM jobs WHERE {Active} GROUP BY op_group, operation");
        var claimed = new List<(object?[] Row, long Attempt)>();
        // Small first page (most claims take the next few jobs); larger ones when blocked jobs are in the way.
        var pageSize = (maxJobs * 2) + 16;
        long afterId = 0;
        var scanned = 0;
        while (claimed.Count < maxJobs && scanned < MaxScanned)
        {
            var page = Candidates(scope, afterId, pageSize);
            if (page.Count == 0)
            {
                break;
            }

            scanned += page.Count;
            afterId = page[^1].JobId;
            foreach (var candidate in page)
            {
                if (claimed.Count == maxJobs)
                {
                    break;
                }

                if (candidate.NotBefore is { } notBefore && notBefore > scope.NowMs)
                {
                    continue;
                }

                var targetKey = candidate.TargetKey;
                var operationKey = candidate.OperationKey;
                if (targetKey is not null && targetCounts.GetValueOrDefault(targetKey) >= candidate.TargetLimit)
                {
                    EndIfBusyPolicySays(scope, candidate, targetKey);
                    continue;
                }

                if (candidate.OperationLimit is { } limit && operationCounts.GetValueOrDefault(operationKey) >= limit)
                {
                    continue;
                }

                var attempt = NewAttemptToken();
                var update = scope.Command(
                    "UPDATE jobs SET attempt = $attempt, node = $node, version = version + 1 " +
                    $"WHERE id = $id AND status = '{NotStarted}' AND attempt IS NULL RETURNING {JobRowMapper.Columns}");
                update.Parameters.AddWithValue("$attempt", attempt);
                update.Parameters.AddWithValue("$node", node);
                update.Parameters.AddWithValue("$id", candidate.JobId);
                object?[] row;
                using (var reader = update.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        continue;
                    }

                    row = JobRowMapper.ReadRaw(reader);
                }

                if (targetKey is not null)
                {
                    targetCounts[targetKey] = targetCounts.GetValueOrDefault(targetKey) + 1;
                }

                operationCounts[operationKey] = operationCounts.GetValueOrDefault(operationKey) + 1;
                scope.Changed(candidate.JobId, JobStatus.NotStarted, (long)row[^1]!);
                claimed.Add((row, attempt));
            }

            if (page.Count < pageSize)
            {
                break;
            }
        }

        return claimed;
    }

    // Random, so that a stale attempt (a node that lost the job) can never match a new one.
    private static long NewAttemptToken()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (long)(BitConverter.ToUInt64(bytes) >> 1) | 1;
    }

    private static void EndIfBusyPolicySays(SqliteWriteScope scope, Candidate candidate, string targetKey)
    {
        int retryAfter;
        if (candidate.BusyRetryAfterSeconds is { } atOnce)
        {
            retryAfter = atOnce;
        }
        else if (candidate.WaitDeadline is { } deadline && deadline <= scope.NowMs)
        {
            retryAfter = candidate.WaitRetryAfterSeconds;
        }
        else
        {
            return;
        }

        var holder = scope.Command($"SELECT id FROM jobs WHERE target_key = $key AND {Active} ORDER BY id LIMIT 1");
        holder.Parameters.AddWithValue("$key", targetKey);
        var holderText = holder.ExecuteScalar() is long holderId ? $" (held by job {holderId})" : string.Empty;
        var reason = $"target '{targetKey}' is busy{holderText}; try again in {retryAfter}s";
        var end = scope.Command(
            $"UPDATE jobs SET status = '{JobStatus.FailedBeforeCompletionRetry.ToWire()}', time_completed = $now, retry_after_s = $retry, " +
            "results = $results, error = $error, version = version + 1 " +
            $"WHERE id = $id AND status = '{NotStarted}' AND attempt IS NULL RETURNING version");
        end.Parameters.AddWithValue("$now", scope.NowMs);
        end.Parameters.AddWithValue("$retry", retryAfter);
        end.Parameters.AddWithValue("$results", StoredJson.Write(new Dictionary<string, string> { ["returnCode"] = "1", ["result"] = reason }));
        end.Parameters.AddWithValue("$error", StoredJson.Write(new JobError(reason)));
        end.Parameters.AddWithValue("$id", candidate.JobId);
        if (end.ExecuteScalar() is long version)
        {
            SqliteJobStore.RecordTransition(scope, candidate.JobId, JobStatus.NotStarted, JobStatus.FailedBeforeCompletionRetry, null, null, reason);
            scope.Changed(candidate.JobId, JobStatus.FailedBeforeCompletionRetry, version);
        }
    }

    private static Dictionary<string, long> Counts(SqliteWriteScope scope, string sql)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var reader = scope.Command(sql).ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static List<Candidate> Candidates(SqliteWriteScope scope, long afterId, int pageSize)
    {
        var select = scope.Command(
            "SELECT id, target_key, op_group || '/' || operation, not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s " +
            $"FROM jobs WHERE status = '{NotStarted}' AND attempt IS NULL AND id > $after ORDER BY id LIMIT $limit");
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$limit", pageSize);
        var candidates = new List<Candidate>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            candidates.Add(new Candidate(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetInt32(8)));
        }

        return candidates;
    }

    private sealed record Candidate(
        long JobId,
        string? TargetKey,
        string OperationKey,
        long? NotBefore,
        int TargetLimit,
        int? OperationLimit,
        int? BusyRetryAfterSeconds,
        long? WaitDeadline,
        int WaitRetryAfterSeconds);
}
