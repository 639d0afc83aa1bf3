namespace Jobwright.Scheduling;

/// <summary>How one due time of a schedule is handled.</summary>
public enum PlannedRunKind
{
    /// <summary>A job is made.</summary>
    Run,

    /// <summary>A job is made that waits for the previous run to end (overlap <c>bufferOne</c>).</summary>
    Buffered,

    /// <summary>The previous run is canceled, then a job is made (overlap <c>cancelPrevious</c>).</summary>
    RunCancelingPrevious,

    /// <summary>No run: a job ending CANCELED_BEFORE_START with code MISFIRE says so.</summary>
    Misfire,

    /// <summary>No run: a job ending CANCELED_BEFORE_START with code OVERLAP says so.</summary>
    Overlap,
}

/// <summary>One due time of a schedule and what is done with it.</summary>
public sealed record PlannedRun(DateTimeOffset Due, PlannedRunKind Kind);

/// <summary>What firing a schedule does now: the runs (and the runs not made), and when it is due next.</summary>
public sealed record FiringPlan(IReadOnlyList<PlannedRun> Runs, DateTimeOffset? NextRun);
