using System.Text.Json;
using Jobwright.Model;
using Jobwright.Storage;
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

    /// <summary>Claims in the writer; returns the claim's attempt token and the claimed rows as JSON, in id order, which the caller maps off the writer thread.</summary>
    public static (long Attempt, IReadOnlyList<string> Rows) Run(SqliteWriteScope scope, string node, int maxJobs)
    {
        var targetCounts = Counts(scope, $"SELECT target_key, COUNT(*) FROM jobs INDEXED BY jobs_active_target WHERE target_key IS NOT NULL AND {Active} GROUP BY target_key");
        var operationCounts = Counts(scope, $"SELECT op_group || '/' || operation, COUNT(*) FROM jobs INDEXED BY jobs_active_operation WHERE op_limit IS NOT NULL AND {Active} GROUP BY op_group, operation");
        var chosen = new List<long>();
        var chosenHolders = new Dictionary<string, long>(StringComparer.Ordinal);
        // A first page just big enough (most claims take the next jobs in line: every row read costs a
        // lookup of the job); pages grow when blocked or scheduled jobs are in the way.
        var pageSize = maxJobs + 4;
        long afterId = 0;
        var scanned = 0;
        while (chosen.Count < maxJobs && scanned < MaxScanned)
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
                if (chosen.Count == maxJobs)
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
                    EndIfBusyPolicySays(scope, candidate, targetKey, chosenHolders.GetValueOrDefault(targetKey));
                    continue;
                }

                if (candidate.OperationLimit is { } limit && operationCounts.GetValueOrDefault(operationKey!) >= limit)
                {
                    continue;
                }

                chosen.Add(candidate.JobId);
                if (targetKey is not null)
                {
                    chosenHolders.TryAdd(targetKey, candidate.JobId);
                    targetCounts[targetKey] = targetCounts.GetValueOrDefault(targetKey) + 1;
                }

                if (candidate.OperationLimit is not null)
                {
                    operationCounts[operationKey!] = operationCounts.GetValueOrDefault(operationKey!) + 1;
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }

            pageSize = Math.Min(pageSize * 4, MaxScanned);
        }

        return chosen.Count == 0 ? (0, []) : Stamp(scope, node, chosen);
    }

    // One statement stamps every chosen job with the node and this claim's attempt token. Each row
    // comes back as one JSON array (JobRowMapper.FromJson, off the writer thread): reading 22 columns
    // one by one was two calls into SQLite per column, each taking its mutex, on the writer.
    private static (long Attempt, IReadOnlyList<string> Rows) Stamp(SqliteWriteScope scope, string node, List<long> chosen)
    {
        var attempt = AttemptTokens.New();
        var update = scope.Command(
            "UPDATE jobs SET attempt = $attempt, node = $node, version = version + 1 " +
            $"WHERE id IN (SELECT value FROM json_each($ids)) AND status = '{NotStarted}' AND attempt IS NULL " +
            $"RETURNING id, version, json_array({JobRowMapper.Columns})");
        update.Parameters.AddWithValue("$attempt", attempt);
        update.Parameters.AddWithValue("$node", node);
        update.Parameters.AddWithValue("$ids", "[" + string.Join(',', chosen) + "]");
        var claimed = new List<(long JobId, string Row)>(chosen.Count);
        using (var reader = update.ExecuteReader())
        {
            while (reader.Read())
            {
                var jobId = reader.GetInt64(0);
                scope.Changed(jobId, JobStatus.NotStarted, reader.GetInt64(1));
                claimed.Add((jobId, reader.GetString(2)));
            }
        }

        claimed.Sort((a, b) => a.JobId.CompareTo(b.JobId));
        return (attempt, claimed.ConvertAll(c => c.Row));
    }

    private static void EndIfBusyPolicySays(SqliteWriteScope scope, Candidate candidate, string targetKey, long chosenHolder)
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

        var holder = scope.Command($"SELECT id FROM jobs INDEXED BY jobs_active_target WHERE target_key = $key AND target_key IS NOT NULL AND {Active} ORDER BY id LIMIT 1");
        holder.Parameters.AddWithValue("$key", targetKey);
        // The holder is a job already running or claimed, or one chosen earlier in this claim (not yet stamped).
        var holderId = holder.ExecuteScalar() is long active ? active : chosenHolder;
        var holderText = holderId > 0 ? $" (held by job {holderId})" : string.Empty;
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
            scope.RecordTransition(candidate.JobId, JobStatus.NotStarted, JobStatus.FailedBeforeCompletionRetry, null, null, reason);
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
        // Most queued jobs have no target, no operation limit and no start time: for them only the id is
        // read. The others' rules come as one JSON array (one call into SQLite instead of one per column).
        var select = scope.Command(
            "SELECT id, CASE WHEN target_key IS NULL AND op_limit IS NULL AND not_before IS NULL THEN NULL ELSE " +
            "json_array(target_key, op_group || '/' || operation, not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s) END " +
            // INDEXED BY (here and below): without statistics the planner may walk every job instead of the small partial indexes.
            $"FROM jobs INDEXED BY jobs_queue WHERE status = '{NotStarted}' AND attempt IS NULL AND id > $after ORDER BY id LIMIT $limit");
        select.Parameters.AddWithValue("$after", afterId);
        select.Parameters.AddWithValue("$limit", pageSize);
        var candidates = new List<Candidate>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var jobId = reader.GetInt64(0);
            candidates.Add(reader.IsDBNull(1) ? new Candidate(jobId) : Candidate.WithRules(jobId, reader.GetString(1)));
        }

        return candidates;
    }

    private sealed record Candidate(
        long JobId,
        string? TargetKey = null,
        string? OperationKey = null,
        long? NotBefore = null,
        int TargetLimit = 1,
        int? OperationLimit = null,
        int? BusyRetryAfterSeconds = null,
        long? WaitDeadline = null,
        int WaitRetryAfterSeconds = 60)
    {
        /// <summary>A candidate whose rules were selected as one JSON array, in the order of <see cref="Candidates"/>' select.</summary>
        public static Candidate WithRules(long jobId, string rules)
        {
            var values = JsonSerializer.Deserialize<JsonElement[]>(rules)!;
            return new Candidate(
                jobId,
                Text(values[0]),
                Text(values[1]),
                Number(values[2]),
                (int)Number(values[3])!.Value,
                (int?)Number(values[4]),
                (int?)Number(values[5]),
                Number(values[6]),
                (int)Number(values[7])!.Value);
        }

        private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

        private static long? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
    }
}
