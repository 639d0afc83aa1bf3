namespace Jobwright.Handlers;

/// <summary>How a handler ended. The engine maps it, with the tasks, to a status in one place.</summary>
public sealed record JobOutcome
{
    private JobOutcome(JobOutcomeKind kind, string? message, TimeSpan? retryAfter)
    {
        Kind = kind;
        Message = message;
        RetryAfter = retryAfter;
    }

    /// <summary>What kind of ending.</summary>
    public JobOutcomeKind Kind { get; }

    /// <summary>The sentence that explains the ending.</summary>
    public string? Message { get; }

    /// <summary>For <see cref="JobOutcomeKind.TargetBusy"/>: when to try again.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Finished: COMPLETED_OK when every task succeeded, COMPLETED_WITH_WARNINGS when some failed, COMPLETED_WITH_ERROR when all failed.</summary>
    public static JobOutcome Completed() => new(JobOutcomeKind.Completed, null, null);

    /// <summary>A precondition was not met: COMPLETED_WITH_ERROR; do not retry in the current state.</summary>
    public static JobOutcome PreconditionFailed(string message) => new(JobOutcomeKind.PreconditionFailed, Require(message), null);

    /// <summary>The job must be rerun in its entirety: COMPLETED_WITH_ERROR.</summary>
    public static JobOutcome RerunNeeded(string message) => new(JobOutcomeKind.RerunNeeded, Require(message), null);

    /// <summary>The target is busy: FAILED_BEFORE_COMPLETION_RETRY with <c>retryAfterSeconds</c>.</summary>
    public static JobOutcome TargetBusy(TimeSpan retryAfter, string message)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new(JobOutcomeKind.TargetBusy, Require(message), retryAfter);
    }

    private static string Require(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return message;
    }
}
