namespace Jobwright.Model;

/// <summary>The codes of <see cref="NotStartedReason"/>.</summary>
public static class NotStartedReasonCodes
{
    /// <summary>Waiting for a worker slot or for the dispatcher.</summary>
    public const string Queued = "QUEUED";
    /// <summary>Claimed by a node and about to begin.</summary>
    public const string Starting = "STARTING";
    /// <summary>Another job holds the target.</summary>
    public const string TargetBusy = "TARGET_BUSY";
    /// <summary>The operation's concurrency limit is reached.</summary>
    public const string OperationLimit = "OPERATION_LIMIT";
    /// <summary>No live node serves the operation.</summary>
    public const string NoNode = "NO_NODE";
    /// <summary>The job may not start before its <c>notBefore</c> time.</summary>
    public const string Scheduled = "SCHEDULED";
    /// <summary>The job's target is paused.</summary>
    public const string TargetPaused = "TARGET_PAUSED";
    /// <summary>The job's operation is paused.</summary>
    public const string OperationPaused = "OPERATION_PAUSED";
}
