using System.Text.Json.Nodes;

namespace Jobwright.Model;

/// <summary>A request to create a schedule (<c>POST /api/v1/schedules</c>); see <see cref="ScheduleRecord"/> for each field.</summary>
public sealed record ScheduleRequest
{
    /// <summary>A unique name.</summary>
    public required string Name { get; init; }

    /// <summary>The operation each run submits.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's group, when several groups have it.</summary>
    public string? Group { get; init; }

    /// <summary>The target of each run.</summary>
    public string? Target { get; init; }

    /// <summary>The parameters of each run, validated now.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>A cron expression: five fields, or six with seconds.</summary>
    public string? Cron { get; init; }

    /// <summary>Or a fixed interval.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The IANA time zone of the cron expression (UTC when null).</summary>
    public string? TimeZone { get; init; }

    /// <summary>No run before this (now when null).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>No run after this.</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary><c>runOnce</c> (default), <c>runAll</c> or <c>skip</c>.</summary>
    public string? Misfire { get; init; }

    /// <summary>For <c>runAll</c>: how far back missed runs still run (1 hour when null).</summary>
    public TimeSpan? CatchUpWindow { get; init; }

    /// <summary><c>skip</c> (default), <c>bufferOne</c>, <c>allow</c> or <c>cancelPrevious</c>.</summary>
    public string? Overlap { get; init; }
}
