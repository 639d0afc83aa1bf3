namespace Jobwright.Storage;

/// <summary>What a cancel request did.</summary>
public enum CancelOutcome
{
    /// <summary>No such job.</summary>
    NotFound,
    /// <summary>The job was NOT_STARTED and is now CANCELED_BEFORE_START.</summary>
    CanceledBeforeStart,
    /// <summary>The job is RUNNING; <c>cancelRequested</c> is set and the handler's token fires.</summary>
    Requested,
    /// <summary>The job is terminal; nothing changed.</summary>
    AlreadyTerminal,
}
