namespace Jobwright.Operations;

/// <summary>What a job does when its target is held by another job (SPEC §2).</summary>
public sealed record TargetBusyPolicy
{
    private TargetBusyPolicy(TimeSpan? maxWait, TimeSpan retryAfter)
    {
        MaxWait = maxWait;
        RetryAfter = retryAfter;
    }

    /// <summary>For <see cref="Wait"/>: how long the job may wait in NOT_STARTED.</summary>
    public TimeSpan? MaxWait { get; }

    /// <summary>The retry hint given when the job ends FAILED_BEFORE_COMPLETION_RETRY.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>True for <see cref="RetryLater"/>.</summary>
    public bool EndsAtOnce => MaxWait is null;

    /// <summary>Wait in NOT_STARTED (reason TARGET_BUSY) up to <paramref name="maxWait"/>, then end FAILED_BEFORE_COMPLETION_RETRY.</summary>
    public static TargetBusyPolicy Wait(TimeSpan maxWait, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxWait, TimeSpan.Zero);
        return new(maxWait, retryAfter ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>End at once as FAILED_BEFORE_COMPLETION_RETRY with <paramref name="retryAfter"/>.</summary>
    public static TargetBusyPolicy RetryLater(TimeSpan retryAfter) => new(null, retryAfter);

    /// <summary>The default: wait up to an hour.</summary>
    public static TargetBusyPolicy Default { get; } = Wait(TimeSpan.FromHours(1));
}
