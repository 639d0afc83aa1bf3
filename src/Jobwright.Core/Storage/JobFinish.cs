using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>The terminal status a job ends with, and everything recorded with it.</summary>
public sealed record JobFinish
{
    /// <summary>The terminal status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The final tasks, results and messages.</summary>
    public required JobSnapshot Snapshot { get; init; }

    /// <summary>The error of a failed job.</summary>
    public JobError? Error { get; init; }

    /// <summary>For FAILED_BEFORE_COMPLETION_RETRY.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Why, for the history.</summary>
    public string? Reason { get; init; }
}
