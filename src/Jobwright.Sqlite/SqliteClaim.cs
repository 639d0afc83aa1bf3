using System.Text.Json;
using Jobwright.Model;
using Jobwright.Storage;
using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>
/// Claims queued jobs by priority (higher first, then in submit order), or — one claim in
/// <see cref="JobPriority.OldestFirstEvery"/> — in submit order alone, skipping those whose target or
/// operation is at its limit, so a job that waits for its target holds no worker slot. A blocked job whose
/// busy policy says so (retry at once, or its wait bound passed) ends FAILED_BEFORE_COMPLETION_RETRY here.
/// </summary>
internal static class SqliteClaim
{
    // How far past blocked jobs one claim looks for runnable ones.
    private const int MaxScanned = 5000;

    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();
    private static readonly string Active = SqliteStatus.Active;

    // The queue walked by priority: the few jobs above 0 and below 0 come from a partial index of their own
    // (empty, and free, while no job has a priority), the jobs at 0 from the queue's index in submit order.
    // Jobs with a start time that is due come first, earliest due first (they have waited since then), from an
    // index of their own: the ones not yet due are never walked past.
    private static readonly QueueOrder[] ByPriority = [QueueOrder.Due, QueueOrder.AboveZero, QueueOrder.AtZero, QueueOrder.BelowZero];
    private static readonly QueueOrder[] OldestFirst = [QueueOrder.Due, QueueOrder.Submitted];

    internal enum QueueOrder
    {
        Due,
        Submitted,
        AboveZero,
        AtZero,
        BelowZero,
    }

    /// <summary>
    /// Claims in the writer, writing nothing but the ends of blocked jobs: the claims are kept in
    /// <see cref="SqliteWriteScope.Claims"/>. Returns the claim's attempt token and the claimed rows as
    /// JSON, in id order, which the caller maps off the writer thread.
    /// </summary>
    public static (long Attempt, IReadOnlyList<string> Rows) Run(SqliteWriteScope scope, string node, int maxJobs, bool oldestFirst)
    {
        var outlook = SqliteClaimOutlook.Read(scope);
        if (!outlook.HasAny(SqliteClaimOutlook.Found.QueuedNow | SqliteClaimOutlook.Found.Due))
        {
            return (0, []);
        }

        var targetCounts = outlook.Has(SqliteClaimOutlook.Found.ActiveTargets)
            ? Counts(scope, $"SELECT target_key, COUNT(*) FROM jobs INDEXED BY jobs_active_target WHERE target_key IS NOT NULL AND {Active} GROUP BY target_key")
            : new Dictionary<string, long>(StringComparer.Ordinal);
        var operationCounts = outlook.Has(SqliteClaimOutlook.Found.ActiveLimitedOperations)
            ? Counts(scope, $"SELECT op_group || '/' || operation, COUNT(*) FROM jobs INDEXED BY jobs_active_operation WHERE op_limit IS NOT NULL AND {Active} GROUP BY op_group, operation")
            : new Dictionary<string, long>(StringComparer.Ordinal);
        var claimHolders = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var claim in scope.Claims.All)
        {
            if (claim.TargetKey is { } key)
            {
                targetCounts[key] = targetCounts.GetValueOrDefault(key) + 1;
                claimHolders[key] = Math.Min(claimHolders.GetValueOrDefault(key, long.MaxValue), claim.JobId);
            }

            if (claim.LimitedOperation is { } operation)
            {
                operationCounts[operation] = operationCounts.GetValueOrDefault(operation) + 1;
            }
        }

        var (pausedTargets, pausedOperations) = outlook.Has(SqliteClaimOutlook.Found.Pauses)
            ? Pauses(scope)
            : (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        // The target and operation of each job found waiting for its busy target, as "target\nGroup/Operation": the
        // later jobs of the same pair wait as long (their wait bounds come later), so the pages after it leave
        // them out instead of walking past them — 6,000 jobs behind one busy target hid every later job.
        var waitingBehind = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new List<Candidate>();
        var scanned = 0;
        foreach (var order in oldestFirst ? OldestFirst : ByPriority)
        {
            if (!outlook.MayFind(order))
            {
                continue;
            }

            // A first page just big enough (most claims take the next jobs in line: every row read costs a
            // lookup of the job; the jobs claimed and not yet started are still in line, and skipped); pages
            // grow when blocked or scheduled jobs are in the way.
            var pageSize = maxJobs + scope.Claims.Count + 4;
            // The cursor: the last row's order key (its priority, or its due time) and id.
            var after = (Key: order == QueueOrder.Due ? long.MinValue : int.MaxValue, JobId: 0L);
            while (chosen.Count < maxJobs && scanned < MaxScanned)
            {
                var page = Candidates(scope, order, after, pageSize, withOperation: pausedOperations.Count > 0, waitingBehind, BusyTargets(targetCounts));
                if (page.Count == 0)
                {
                    break;
                }

                scanned += page.Count;
                after = (order == QueueOrder.Due ? page[^1].NotBefore!.Value : page[^1].Priority, page[^1].JobId);
                foreach (var candidate in page)
                {
                    if (chosen.Count == maxJobs)
                    {
                        break;
                    }

                    if (scope.Claims.Holds(candidate.JobId))
                    {
                        continue;
                    }

                    if (candidate.NotBefore is { } notBefore && notBefore > scope.NowMs)
                    {
                        continue;
                    }

                    var targetKey = candidate.TargetKey;
                    var operationKey = candidate.OperationKey;
                    if ((targetKey is not null && pausedTargets.Contains(targetKey)) || (operationKey is not null && pausedOperations.Contains(operationKey)))
                    {
                        continue;
                    }

                    if (targetKey is not null && targetCounts.GetValueOrDefault(targetKey) >= candidate.TargetLimit)
                    {
                        if (!EndIfBusyPolicySays(scope, candidate, targetKey, claimHolders.TryGetValue(targetKey, out var claimHolder) ? claimHolder : null))
                        {
                            waitingBehind.Add(WaitingKey(targetKey, operationKey!));
                        }

                        continue;
                    }

                    if (candidate.OperationLimit is { } limit && operationCounts.GetValueOrDefault(operationKey!) >= limit)
                    {
                        continue;
                    }

                    chosen.Add(candidate);
                    if (targetKey is not null)
                    {
                        claimHolders.TryAdd(targetKey, candidate.JobId);
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
        }

        return chosen.Count == 0 ? (0, []) : Reserve(scope, node, chosen);
    }

    // The chosen jobs are kept as claimed by this attempt, and their rows read, each as one JSON array
    // (JobRowMapper.FromJson, off the writer thread): reading 22 columns one by one was two calls into
    // SQLite per column, each taking its mutex, on the writer.
    private static (long Attempt, IReadOnlyList<string> Rows) Reserve(SqliteWriteScope scope, string node, List<Candidate> chosen)
    {
        var attempt = AttemptTokens.New();
        var select = scope.Command($"SELECT json_array({JobRowMapper.Columns}) FROM jobs WHERE id IN (SELECT value FROM json_each($ids)) ORDER BY id");
        select.Parameters.AddWithValue("$ids", "[" + string.Join(',', chosen.Select(c => c.JobId)) + "]");
        var rows = new List<string>(chosen.Count);
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }
        }

        foreach (var candidate in chosen)
        {
            scope.Claim(new SqliteReservations.Reservation(
                candidate.JobId, attempt, node, candidate.TargetKey, candidate.OperationLimit is null ? null : candidate.OperationKey));
        }

        return (attempt, rows);
    }

    // The targets held by a running or claimed job (this claim's choices included), as the JSON array the page's
    // select reads; null when none is held.
    private static string? BusyTargets(Dictionary<string, long> targetCounts)
    {
        var held = targetCounts.Where(count => count.Value > 0).Select(count => count.Key).ToList();
        return held.Count == 0 ? null : JsonSerializer.Serialize(held);
    }

    private static string WaitingKey(string targetKey, string operationKey) => targetKey + "\n" + operationKey;

    // Whether the job was ended (its policy retries later, or its wait bound passed); false when it waits on.
    private static bool EndIfBusyPolicySays(SqliteWriteScope scope, Candidate candidate, string targetKey, long? claimHolder)
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
            return false;
        }

        var holder = scope.Command($"SELECT id FROM jobs INDEXED BY jobs_active_target WHERE target_key = $key AND target_key IS NOT NULL AND {Active} ORDER BY id LIMIT 1");
        holder.Parameters.AddWithValue("$key", targetKey);
        // The holder is the oldest of a running job and the claimed ones (kept in memory, this claim's included).
        long?[] holders = [holder.ExecuteScalar() as long?, claimHolder];
        var reason = JobEnds.TargetBusy(targetKey, holders.Min(), retryAfter);
        var end = scope.Command(
            $"UPDATE jobs SET status = '{JobStatus.FailedBeforeCompletionRetry.ToWire()}', time_completed = $now, retry_after_s = $retry, " +
            "results = $results, error = $error, version = version + 1 " +
            $"WHERE id = $id AND status = '{NotStarted}' AND attempt IS NULL RETURNING version");
        end.Parameters.AddWithValue("$now", scope.NowMs);
        end.Parameters.AddWithValue("$retry", retryAfter);
        end.Parameters.AddWithValue("$results", StoredJson.Write(JobEnds.FailureResults(reason)));
        end.Parameters.AddWithValue("$error", StoredJson.Write(new JobError(reason)));
        end.Parameters.AddWithValue("$id", candidate.JobId);
        if (end.ExecuteScalar() is long version)
        {
            scope.RecordTransition(candidate.JobId, JobStatus.NotStarted, JobStatus.FailedBeforeCompletionRetry, null, null, reason);
            scope.Changed(candidate.JobId, JobStatus.FailedBeforeCompletionRetry, version);
        }

        return true;
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

    // The keys of the paused targets and operations (a small table, read once per claim).
    private static (HashSet<string> Targets, HashSet<string> Operations) Pauses(SqliteWriteScope scope)
    {
        var (targets, operations) = (new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        using var reader = scope.Command("SELECT kind, key FROM pauses").ExecuteReader();
        while (reader.Read())
        {
            (reader.GetString(0) == PauseKinds.Target ? targets : operations).Add(reader.GetString(1));
        }

        return (targets, operations);
    }

    // A job that can only wait is left out of the page, not read: one that may have but one job on its target
    // (most), whose busy policy does not end it yet, whose target is held, or that has a job of its own target,
    // operation and priority ahead of it in line (that one starts first, or waits for the same reasons). Jobs
    // waiting longer than their bound, or set to retry at once, are still read: the claim ends them.
    private static readonly string InLine =
        "not_before IS NULL AND EXISTS (" +
        "SELECT 1 FROM jobs AS ahead INDEXED BY jobs_queue_target WHERE ahead.target_key = jobs.target_key AND ahead.op_group = jobs.op_group " +
        "AND ahead.operation = jobs.operation AND ahead.priority = jobs.priority AND ahead.id < jobs.id " +
        $"AND ahead.status = '{NotStarted}' AND ahead.attempt IS NULL AND ahead.not_before IS NULL AND ahead.target_key IS NOT NULL)";

    private const string OnlyWaits =
        "target_key IS NOT NULL AND target_limit = 1 AND busy_retry_after_s IS NULL AND (wait_deadline IS NULL OR wait_deadline > $now) AND ";

    // With no target held, the held targets' list is left out of the select: json_each is a table opened for
    // every page, and a node with nothing held (most claims of an idle node) has no use for it.
    private static readonly string CanOnlyWaitBehind = OnlyWaits + InLine;
    private static readonly string CanOnlyWait = OnlyWaits + $"(target_key IN (SELECT value FROM json_each($busy)) OR {InLine})";

    private static List<Candidate> Candidates(
        SqliteWriteScope scope, QueueOrder order, (long Key, long JobId) after, int pageSize, bool withOperation, HashSet<string> waitingBehind, string? busyTargets)
    {
        // Most queued jobs have no target, no operation limit and no start time: for them only the id is
        // read. The others' rules come as one JSON array (one call into SQLite instead of one per column).
        // INDEXED BY (here and below): without statistics the planner may walk every job instead of the small partial indexes.
        var where = order switch
        {
            QueueOrder.Due => "INDEXED BY jobs_queue_scheduled WHERE {0} AND not_before IS NOT NULL AND not_before <= $now AND (not_before > $key OR (not_before = $key AND id > $after)) ORDER BY not_before, id",
            QueueOrder.Submitted => "INDEXED BY jobs_queue WHERE {0} AND not_before IS NULL AND id > $after ORDER BY id",
            QueueOrder.AtZero => "INDEXED BY jobs_queue WHERE {0} AND not_before IS NULL AND priority = 0 AND id > $after ORDER BY id",
            QueueOrder.AboveZero => "INDEXED BY jobs_queue_prioritized WHERE {0} AND not_before IS NULL AND priority <> 0 AND priority > 0 AND (priority < $key OR (priority = $key AND id > $after)) ORDER BY priority DESC, id",
            _ => "INDEXED BY jobs_queue_prioritized WHERE {0} AND not_before IS NULL AND priority <> 0 AND priority < 0 AND (priority < $key OR (priority = $key AND id > $after)) ORDER BY priority DESC, id",
        };
        // The jobs of a target and operation already found waiting for that target are left out (see Run).
        var leaveOut = waitingBehind.Count == 0 ? string.Empty
            : " AND (target_key IS NULL OR target_key || char(10) || op_group || '/' || operation NOT IN (SELECT value FROM json_each($waiting)))";
        where = where.Replace(" ORDER BY", leaveOut + $" AND NOT ({(busyTargets is null ? CanOnlyWaitBehind : CanOnlyWait)}) ORDER BY", StringComparison.Ordinal);
        var select = scope.Command(
            // With an operation paused, every candidate's operation is read: the pause is checked against it.
            $"SELECT id, priority, CASE WHEN {(withOperation ? "0" : "target_key IS NULL AND op_limit IS NULL AND not_before IS NULL")} THEN NULL ELSE " +
            "json_array(target_key, op_group || '/' || operation, not_before, target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s) END " +
            "FROM jobs " + string.Format(System.Globalization.CultureInfo.InvariantCulture, where, $"status = '{NotStarted}' AND attempt IS NULL") + " LIMIT $limit");
        select.Parameters.AddWithValue("$after", after.JobId);
        select.Parameters.AddWithValue("$key", after.Key);
        select.Parameters.AddWithValue("$now", scope.NowMs);
        if (waitingBehind.Count > 0)
        {
            select.Parameters.AddWithValue("$waiting", JsonSerializer.Serialize(waitingBehind));
        }
        select.Parameters.AddWithValue("$limit", pageSize);
        if (busyTargets is not null)
        {
            select.Parameters.AddWithValue("$busy", busyTargets);
        }
        var candidates = new List<Candidate>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var jobId = reader.GetInt64(0);
            var priority = reader.GetInt32(1);
            candidates.Add(reader.IsDBNull(2) ? new Candidate(jobId, priority) : Candidate.WithRules(jobId, priority, reader.GetString(2)));
        }

        return candidates;
    }

    private sealed record Candidate(
        long JobId,
        int Priority,
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
        public static Candidate WithRules(long jobId, int priority, string rules)
        {
            var values = JsonSerializer.Deserialize<JsonElement[]>(rules)!;
            return new Candidate(
                jobId,
                priority,
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
