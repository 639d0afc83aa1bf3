using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>
/// The key a job holds while claimed or running, as the store keeps it in <c>target_key</c>: <c>group/target</c>,
/// or, for a run of a bufferOne schedule without a target, <c>schedule/ID</c> (so its next run waits for it).
/// </summary>
public static class JobHolds
{
    /// <summary>The key a job may hold, or null when it holds none.</summary>
    public static string? KeyOf(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Target is not null ? $"{job.Group}/{job.Target}" : job.ScheduleId is { } schedule ? $"schedule/{schedule}" : null;
    }
}
