namespace Jobwright.Handlers;

/// <summary>How a handler says it ended.</summary>
public enum JobOutcomeKind
{
    /// <summary>Finished; the status follows from the tasks.</summary>
    Completed,
    /// <summary>A precondition was not met; do not retry in the current state (COMPLETED_WITH_ERROR).</summary>
    PreconditionFailed,
    /// <summary>The job must be rerun in its entirety, possibly after manual cleanup (COMPLETED_WITH_ERROR).</summary>
    RerunNeeded,
    /// <summary>The target is busy with other work (FAILED_BEFORE_COMPLETION_RETRY).</summary>
    TargetBusy,
}
