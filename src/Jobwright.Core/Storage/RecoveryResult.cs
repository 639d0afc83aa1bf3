namespace Jobwright.Storage;

/// <summary>What a recovery did: RUNNING jobs ended FAILED_BEFORE_COMPLETION, claimed jobs returned to the queue.</summary>
public sealed record RecoveryResult(int FailedRunning, int ReturnedToQueue);
