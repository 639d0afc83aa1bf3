using System.Data.Common;
using System.Text.Json.Nodes;
using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>A schedule row as both stores select it (times as Unix milliseconds, parameters as JSON text).</summary>
public static class ScheduleRows
{
    /// <summary>The columns, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns =
        "id, name, operation, op_group, target, parameters, cron, interval_ms, time_zone, start_at, end_at, misfire, " +
        "catch_up_ms, overlap, paused, next_run, last_due, last_job_id, created_by, created_at, version";

    /// <summary>The schedule of the reader's current row.</summary>
    public static ScheduleRecord Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        long? Long(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new ScheduleRecord
        {
            ScheduleId = Long(0)!.Value,
            Name = reader.GetString(1),
            Operation = reader.GetString(2),
            Group = reader.GetString(3),
            Target = Text(4),
            Parameters = JsonNode.Parse(reader.GetString(5))!.AsObject(),
            Cron = Text(6),
            IntervalSeconds = Long(7) is { } interval ? interval / 1000.0 : null,
            TimeZone = reader.GetString(8),
            Start = StoredJobRow.Time(Long(9)!.Value),
            End = Long(10) is { } end ? StoredJobRow.Time(end) : null,
            Misfire = reader.GetString(11),
            CatchUpWindowSeconds = Long(12)!.Value / 1000.0,
            Overlap = reader.GetString(13),
            Paused = reader.GetValue(14) is bool paused ? paused : Long(14) != 0,
            NextRun = Long(15) is { } next ? StoredJobRow.Time(next) : null,
            LastDue = StoredJobRow.Time(Long(16)!.Value),
            LastJobId = Long(17),
            CreatedBy = Text(18),
            CreatedAt = StoredJobRow.Time(Long(19)!.Value),
            Version = Long(20)!.Value,
        };
    }

    /// <summary>The values of a schedule in the order of <see cref="Columns"/> without id and version (for inserts and updates).</summary>
    public static object?[] Values(ScheduleRecord schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return
        [
            schedule.Name, schedule.Operation, schedule.Group, schedule.Target, schedule.Parameters.ToJsonString(), schedule.Cron,
            schedule.IntervalSeconds is { } s ? (long)Math.Round(s * 1000) : null, schedule.TimeZone, schedule.Start.ToUnixTimeMilliseconds(),
            schedule.End?.ToUnixTimeMilliseconds(), schedule.Misfire, (long)Math.Round(schedule.CatchUpWindowSeconds * 1000), schedule.Overlap,
            schedule.Paused, schedule.NextRun?.ToUnixTimeMilliseconds(), schedule.LastDue.ToUnixTimeMilliseconds(), schedule.LastJobId,
            schedule.CreatedBy, schedule.CreatedAt.ToUnixTimeMilliseconds(),
        ];
    }
}
