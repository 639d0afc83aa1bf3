namespace Jobwright.Storage;

/// <summary>An unclaimed NOT_STARTED job at the head of the queue, with its priority.</summary>
public sealed record QueuedJob(long JobId, int Priority);
