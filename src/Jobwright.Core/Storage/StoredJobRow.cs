using System.Data;
using System.Globalization;
using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>
/// A job row as every store keeps it: the columns of <see cref="Columns"/>, in that order, with times
/// as Unix milliseconds and the JSON columns as text. Stores read the raw values and map them here.
/// </summary>
public static class StoredJobRow
{
    /// <summary>The columns a store selects, in the order <see cref="Map"/> reads them.</summary>
    public const string Columns =
        "id, status, operation, op_group, target, parameters, submitter, idempotency_key, time_submitted, not_before, " +
        "time_started, time_completed, cancel_requested, node, progress, results, messages, error, retry_after_s, " +
        "retry_of, retried_by, trace_parent, priority, rerun_of, resolution, resumes, reverts, schedule_id, version";

    /// <summary>The id of a raw row.</summary>
    public static long Id(object?[] row) => Integer(row[0])!.Value;

    /// <summary>The version of a raw row.</summary>
    public static long Version(object?[] row) => Integer(row[^1])!.Value;

    /// <summary>The job of a raw row (database nulls as null or <see cref="DBNull"/>).</summary>
    public static JobRecord Map(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var resolution = StoredJson.Read<JobResolution>(Text(row[24]));
        return new JobRecord
        {
            JobId = Id(row),
            Status = JobStatuses.Parse((string)row[1]!),
            Operation = (string)row[2]!,
            Group = (string)row[3]!,
            Target = Text(row[4]),
            Parameters = JsonNode.Parse((string)row[5]!)!.AsObject(),
            Submitter = Text(row[6]),
            IdempotencyKey = Text(row[7]),
            TimeSubmitted = Time(Integer(row[8])!.Value),
            NotBefore = Integer(row[9]) is { } notBefore ? Time(notBefore) : null,
            TimeStarted = Integer(row[10]) is { } started ? Time(started) : null,
            TimeCompleted = Integer(row[11]) is { } completed ? Time(completed) : null,
            CancelRequested = row[12] is bool flag ? flag : Integer(row[12]) is { } number && number != 0,
            Node = Text(row[13]),
            Progress = StoredJson.ReadProgress(Text(row[14])),
            Results = StoredJson.Read<Dictionary<string, string>>(Text(row[15])) ?? [],
            Messages = StoredJson.Read<JobMessage[]>(Text(row[16])) ?? [],
            Error = StoredJson.Read<JobError>(Text(row[17])),
            RetryAfterSeconds = Integer(row[18]) is { } retryAfter ? (int)retryAfter : null,
            RetryOf = Integer(row[19]),
            RetriedBy = Integer(row[20]),
            TraceParent = Text(row[21]),
            Priority = (int)Integer(row[22])!.Value,
            RerunOf = Integer(row[23]),
            Resolution = resolution,
            RerunBy = resolution is { How: JobResolutions.Rerun } ? resolution.JobId : null,
            Resumes = Integer(row[25]),
            ResumedBy = resolution is { How: JobResolutions.Completed } ? resolution.JobId : null,
            Reverts = Integer(row[26]),
            RevertedBy = resolution is { How: JobResolutions.Reverted } ? resolution.JobId : null,
            ScheduleId = Integer(row[27]),
            Version = Version(row),
        };
    }

    /// <summary>A history row selected as <c>time, from_status, to_status, node, actor, reason</c>.</summary>
    public static JobTransition Transition(IDataRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new JobTransition(
            Time(row.GetInt64(0)),
            row.IsDBNull(1) ? null : JobStatuses.Parse(row.GetString(1)),
            JobStatuses.Parse(row.GetString(2)),
            row.IsDBNull(3) ? null : row.GetString(3),
            row.IsDBNull(4) ? null : row.GetString(4),
            row.IsDBNull(5) ? null : row.GetString(5));
    }

    /// <summary>
    /// A job's whole history: its submit and its start, which no store keeps as rows (they are the job's
    /// own <c>timeSubmitted</c> and submitter, and <c>timeStarted</c> and node, which never change after
    /// a start), then the transitions the store keeps, in order, then the job's end when no row holds it.
    /// </summary>
    public static IReadOnlyList<JobTransition> History(JobRecord job, IEnumerable<JobTransition> storedTransitions)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(storedTransitions);
        var history = new List<JobTransition> { new(job.TimeSubmitted, null, JobStatus.NotStarted, null, job.Submitter, "submitted") };
        if (job.TimeStarted is { } started)
        {
            history.Add(new JobTransition(started, JobStatus.NotStarted, JobStatus.Running, job.Node, job.Node, null));
        }

        history.AddRange(storedTransitions);
        if (job.Status.IsTerminal() && job.TimeCompleted is { } ended && !history.Exists(t => t.To.IsTerminal()))
        {
            history.Add(new JobTransition(ended, job.TimeStarted is null ? JobStatus.NotStarted : JobStatus.Running, job.Status, job.Node, job.Node, null));
        }

        return history;
    }

    /// <summary>
    /// Whether a handler's end needs a history row: an end with a reason, or a cancel (whose actor is
    /// the one who asked), does; any other end is the job's own status, <c>timeCompleted</c> and node
    /// (which never change after it), and <see cref="History"/> derives its entry from them.
    /// </summary>
    public static bool EndNeedsHistoryRow(JobStatus status, string? reason) =>
        reason is not null || status == JobStatus.CanceledWhileRunning;

    /// <summary>Unix milliseconds as a time.</summary>
    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    /// <summary>A value for a database parameter: null as <see cref="DBNull"/>.</summary>
    public static object Db(object? value) => value ?? DBNull.Value;

    private static string? Text(object? value) => value as string;

    private static long? Integer(object? value) => value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
