using System.Text.Json.Nodes;

namespace Jobwright.Model;

/// <summary>
/// A recurring job: the operation, target and parameters each run gets, when it is due (a cron expression in a
/// time zone, or a fixed interval), and what it does with runs it missed (<see cref="Misfire"/>) or that would
/// overlap the previous one (<see cref="Overlap"/>). Stored, so it fires exactly once per due time across a cluster.
/// </summary>
public sealed record ScheduleRecord
{
    /// <summary>The schedule's id; 0 before it is stored.</summary>
    public long ScheduleId { get; init; }

    /// <summary>A unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The operation each run submits.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's group.</summary>
    public required string Group { get; init; }

    /// <summary>The target of each run, or null.</summary>
    public string? Target { get; init; }

    /// <summary>The validated parameters of each run (sensitive ones encrypted in the store, masked when shown).</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>A cron expression (five fields, or six with seconds), or null for an interval schedule.</summary>
    public string? Cron { get; init; }

    /// <summary>The interval of an interval schedule, in seconds, or null.</summary>
    public double? IntervalSeconds { get; init; }

    /// <summary>The IANA time zone the cron expression is read in.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>No run is due before this.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>No run is due after this, or null.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary><c>runOnce</c>, <c>runAll</c> or <c>skip</c>.</summary>
    public string Misfire { get; init; } = "runOnce";

    /// <summary>For <c>runAll</c>: how far back missed runs still run, in seconds.</summary>
    public double CatchUpWindowSeconds { get; init; } = 3600;

    /// <summary><c>skip</c>, <c>bufferOne</c>, <c>allow</c> or <c>cancelPrevious</c>.</summary>
    public string Overlap { get; init; } = "skip";

    /// <summary>A paused schedule makes no run; its missed runs follow <see cref="Misfire"/> when it is resumed.</summary>
    public bool Paused { get; init; }

    /// <summary>When it is due next, or null when no run is left.</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>The last due time it was looked at for; the runs due after it are still to come.</summary>
    public DateTimeOffset LastDue { get; init; }

    /// <summary>The job of its last run, or null.</summary>
    public long? LastJobId { get; init; }

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The next times it is due (up to five), computed when it is read; not stored.</summary>
    public IReadOnlyList<DateTimeOffset>? NextRuns { get; init; }

    /// <summary>Grows with every change; a fire applies only to the version it read.</summary>
    public long Version { get; init; }
}
