using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>The stored job, and whether this submit created it (false: an earlier submit with the same idempotency key).</summary>
public sealed record SubmitResult(JobRecord Job, bool Created)
{
    /// <summary>
    /// True when the store saw, in the submit's own write, that no other job held the new job's target: its reason
    /// is then told without reading the holders. False when it did not look, the job has no target, or the target
    /// was held (then <see cref="TargetHolder"/> may name the holder).
    /// </summary>
    public bool TargetSeenFree { get; init; }

    /// <summary>The job that held the new job's target when the store looked in the submit's own write (the oldest), or null.</summary>
    public JobRecord? TargetHolder { get; init; }
}
