namespace Jobwright.Scheduling;

/// <summary>
/// What a schedule does with the runs it missed (the node was down, or the schedule was paused):
/// <see cref="RunOnce"/> (one catch-up run, the latest), <see cref="RunAll"/> (every missed run within the
/// catch-up window) or <see cref="Skip"/>. A missed run not made is a job ending CANCELED_BEFORE_START, code MISFIRE.
/// </summary>
public static class MisfirePolicies
{
    /// <summary>One catch-up run for all the runs missed (the default).</summary>
    public const string RunOnce = "runOnce";

    /// <summary>Every missed run within the catch-up window.</summary>
    public const string RunAll = "runAll";

    /// <summary>No catch-up run.</summary>
    public const string Skip = "skip";

    /// <summary>The policies, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> All = [RunOnce, RunAll, Skip];
}

/// <summary>
/// What a schedule does when a run is due and its previous run has not ended: <see cref="Skip"/> (the default;
/// the run is a job ending CANCELED_BEFORE_START, code OVERLAP), <see cref="BufferOne"/> (the run waits for the
/// previous one; one waiting run at most), <see cref="Allow"/> or <see cref="CancelPrevious"/>.
/// </summary>
public static class OverlapPolicies
{
    /// <summary>Do not make the run (the default).</summary>
    public const string Skip = "skip";

    /// <summary>Make the run wait for the previous one; a second run due meanwhile is skipped.</summary>
    public const string BufferOne = "bufferOne";

    /// <summary>Make the run beside the previous one.</summary>
    public const string Allow = "allow";

    /// <summary>Cancel the previous run, then make this one.</summary>
    public const string CancelPrevious = "cancelPrevious";

    /// <summary>The policies, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> All = [Skip, BufferOne, Allow, CancelPrevious];
}
