using Jobwright.Storage;

namespace Jobwright.PostgreSql;

/// <summary>
/// The writes of a job's life that many jobs make at once under load — submit, start, progress,
/// finish — each as one statement for all the jobs of a batch: arrays unnested in SQL, one pass of
/// the triggers, one notification. Each statement returns the job id first, so each write finds its row.
/// </summary>
internal static class PgMergedWrites
{
    public sealed record Submit(
        string Operation, string Group, string? Target, string? TargetKey, string Parameters, string? Submitter, long Now,
        long? NotBefore, int TargetLimit, int? OperationLimit, int? BusyRetryAfter, long? WaitDeadline, int WaitRetryAfter, long? RetryOf,
        string? TraceParent, int Priority);

    public sealed record Start(long JobId, long Attempt, long Now);

    public sealed record Progress(long JobId, long Attempt, string? ProgressJson, string? Results, string? Messages);

    public sealed record Finish(
        long JobId, long Attempt, string Status, long Now, string? ProgressJson, string? Results, string? Messages, string? Error,
        int? RetryAfter, string From, string? Reason);

    // Ids come from the identity sequence in insertion order, which is the order of the items. Each row comes back
    // with the oldest job holding its target (claimed or running; the statement's snapshot, so never one of the rows
    // it inserts), all columns null when none: the submit's answer then tells the job's reason without a read.
    public static readonly PgMerge<Submit> Submits = new(items => PgCommands.Batch(
        "WITH created AS (INSERT INTO jobs (status, operation, op_group, target, target_key, parameters, submitter, time_submitted, not_before, " +
        "target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority) " +
        $"SELECT {PgStatus.NotStarted}, operation, op_group, target, target_key, parameters, submitter, time_submitted, not_before, " +
        "target_limit, op_limit, busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority " +
        "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], " +
        "$9::integer[], $10::integer[], $11::integer[], $12::bigint[], $13::integer[], $14::bigint[], $15::text[], $16::integer[]) WITH ORDINALITY " +
        "AS i(operation, op_group, target, target_key, parameters, submitter, time_submitted, not_before, target_limit, op_limit, " +
        "busy_retry_after_s, wait_deadline, wait_retry_after_s, retry_of, trace_parent, priority, n) ORDER BY n RETURNING id, target_key) " +
        "SELECT created.id, holder.* FROM created LEFT JOIN LATERAL " +
        $"(SELECT {StoredJobRow.Columns} FROM jobs WHERE target_key = created.target_key AND target_key IS NOT NULL AND {PgStatus.Active} ORDER BY id LIMIT 1) " +
        "AS holder ON true",
        Column(items, i => i.Operation), Column(items, i => i.Group), Column(items, i => i.Target), Column(items, i => i.TargetKey),
        Column(items, i => i.Parameters), Column(items, i => i.Submitter), Column(items, i => i.Now), Column(items, i => i.NotBefore),
        Column(items, i => i.TargetLimit), Column(items, i => i.OperationLimit), Column(items, i => i.BusyRetryAfter),
        Column(items, i => i.WaitDeadline), Column(items, i => i.WaitRetryAfter), Column(items, i => i.RetryOf),
        Column(items, i => i.TraceParent), Column(items, i => i.Priority)));

    // No history row: a start's entry is derived from time_started and node (StoredJobRow.History).
    public static readonly PgMerge<Start> Starts = new(items => PgCommands.Batch(
        $"UPDATE jobs j SET status = {PgStatus.Running}, time_started = i.now, version = j.version + 1 " +
        "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS i(id, attempt, now) " +
        $"WHERE j.id = i.id AND j.status = {PgStatus.NotStarted} AND j.attempt = i.attempt RETURNING j.id, j.version",
        Column(items, i => i.JobId), Column(items, i => i.Attempt), Column(items, i => i.Now)));

    public static readonly PgMerge<Progress> Progresses = new(items => PgCommands.Batch(
        "UPDATE jobs j SET progress = i.progress, results = i.results, messages = i.messages, version = j.version + 1 " +
        "FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS i(id, attempt, progress, results, messages) " +
        $"WHERE j.id = i.id AND j.status = {PgStatus.Running} AND j.attempt = i.attempt RETURNING j.id, j.version",
        Column(items, i => i.JobId), Column(items, i => i.Attempt), Column(items, i => i.ProgressJson), Column(items, i => i.Results),
        Column(items, i => i.Messages)));

    public static readonly PgMerge<Finish> Finishes = new(items => PgCommands.Batch(
        "WITH input AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], " +
        "$8::text[], $9::integer[], $10::text[], $11::text[]) " +
        "AS i(id, attempt, status, now, progress, results, messages, error, retry_after, from_status, reason)), " +
        "finished AS (UPDATE jobs j SET status = i.status, time_completed = i.now, progress = i.progress, results = i.results, " +
        "messages = i.messages, error = i.error, retry_after_s = i.retry_after, version = j.version + 1 FROM input i " +
        "WHERE j.id = i.id AND j.attempt = i.attempt AND j.status = i.from_status " +
        "RETURNING j.id, j.version, j.node, j.cancel_requested_by, i.status AS to_status, i.from_status, i.now, i.reason), " +
        "history AS (INSERT INTO job_transitions (job_id, time, from_status, to_status, node, actor, reason) " +
        "SELECT id, now, from_status, to_status, node, " +
        $"CASE WHEN to_status = {PgStatus.CanceledWhileRunning} THEN COALESCE(cancel_requested_by, node) ELSE node END, reason FROM finished " +
        // Only ends that StoredJobRow.History cannot derive from the row (StoredJobRow.EndNeedsHistoryRow).
        $"WHERE reason IS NOT NULL OR to_status = {PgStatus.CanceledWhileRunning} ORDER BY id) " +
        "SELECT id, version FROM finished",
        Column(items, i => i.JobId), Column(items, i => i.Attempt), Column(items, i => i.Status), Column(items, i => i.Now),
        Column(items, i => i.ProgressJson), Column(items, i => i.Results), Column(items, i => i.Messages), Column(items, i => i.Error),
        Column(items, i => i.RetryAfter), Column(items, i => i.From), Column(items, i => i.Reason)));

    private static T[] Column<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T> value)
    {
        var column = new T[items.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = value(items[i]);
        }

        return column;
    }

    /// <summary>The version of the job's row, or null when the statement did not change it (refused).</summary>
    public static long? VersionOf(PgRows rows, long jobId) => rows.Find(jobId) is { } row ? (long)row[1]! : null;

}
