using System.Text.Json.Nodes;
using Jobwright.Status;

namespace Jobwright.Model;

/// <summary>Everything known about one job: the record every interface shows (SPEC §3).</summary>
public sealed record JobRecord
{
    /// <summary>The job's id; never reused.</summary>
    public required long JobId { get; init; }

    /// <summary>The job's status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The operation's name, e.g. <c>PowerOn</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's group, e.g. <c>LogicalPartition</c>.</summary>
    public required string Group { get; init; }

    /// <summary>What the job acts on, or null for operations without a target.</summary>
    public string? Target { get; init; }

    /// <summary>The parameters as validated (defaults filled in; sensitive values masked when shown).</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>When the job was accepted.</summary>
    public required DateTimeOffset TimeSubmitted { get; init; }

    /// <summary>When the handler began.</summary>
    public DateTimeOffset? TimeStarted { get; init; }

    /// <summary>When the job reached its terminal status.</summary>
    public DateTimeOffset? TimeCompleted { get; init; }

    /// <summary>The job may not start before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>True once a cancel was requested.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>Finished tasks, the current task and the overall fraction.</summary>
    public JobProgress Progress { get; init; } = JobProgress.Empty;

    /// <summary>Named results, e.g. <c>returnCode</c> and <c>result</c>.</summary>
    public IReadOnlyDictionary<string, string> Results { get; init; } = new Dictionary<string, string>();

    /// <summary>Messages the handler or the engine recorded.</summary>
    public IReadOnlyList<JobMessage> Messages { get; init; } = [];

    /// <summary>The error of a job that failed, or null.</summary>
    public JobError? Error { get; init; }

    /// <summary>For FAILED_BEFORE_COMPLETION_RETRY: when to try again.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Why a NOT_STARTED job has not started; computed when the record is read.</summary>
    public NotStartedReason? NotStartedReason { get; init; }

    /// <summary>The job this one retries.</summary>
    public long? RetryOf { get; init; }

    /// <summary>The job that retries this one.</summary>
    public long? RetriedBy { get; init; }

    /// <summary>The schedule that made this job, or null.</summary>
    public long? ScheduleId { get; init; }

    /// <summary>The job this one is a rerun of.</summary>
    public long? RerunOf { get; init; }

    /// <summary>The job that reran this one.</summary>
    public long? RerunBy { get; init; }

    /// <summary>The job whose unfinished tasks this one runs (a complete).</summary>
    public long? Resumes { get; init; }

    /// <summary>The job that ran this one's unfinished tasks.</summary>
    public long? ResumedBy { get; init; }

    /// <summary>The job whose OK tasks this one undoes (a revert).</summary>
    public long? Reverts { get; init; }

    /// <summary>The job that undid this one's OK tasks.</summary>
    public long? RevertedBy { get; init; }

    /// <summary>How this ended job was resolved (rerun, completed, reverted, or by hand), or null.</summary>
    public JobResolution? Resolution { get; init; }

    /// <summary>The node that claimed or ran the job.</summary>
    public string? Node { get; init; }

    /// <summary>Who submitted the job.</summary>
    public string? Submitter { get; init; }

    /// <summary>The client's idempotency key, if it gave one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Higher starts first among the jobs that may start; 0 unless the submit gave one.</summary>
    public int Priority { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the span that submitted the job; the job's claim and run continue its trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Grows by one with every change of the job; lets a reader tell whether it changed.</summary>
    public long Version { get; init; }

    /// <summary>Every transition; filled when one job is read, null in lists.</summary>
    public IReadOnlyList<JobTransition>? History { get; init; }
}
