using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>A committed change of a job (null status: the job was deleted).</summary>
public readonly record struct JobChange(long JobId, JobStatus? Status, long Version);
