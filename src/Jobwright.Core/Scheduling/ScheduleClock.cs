using Jobwright.Model;

namespace Jobwright.Scheduling;

/// <summary>The <see cref="ScheduleTimes"/> of a stored schedule (its fields were checked when it was created).</summary>
internal static class ScheduleClock
{
    public static ScheduleTimes Of(ScheduleRecord schedule) =>
        ScheduleTimes.Create(schedule.Cron, schedule.IntervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null, schedule.TimeZone, schedule.Start, schedule.End).Times
        ?? throw new InvalidOperationException($"schedule {schedule.ScheduleId} ('{schedule.Name}') has times that cannot be read; delete and create it again.");

    /// <summary>The idempotency key of the run a schedule makes for one due time: a second fire of it stores nothing.</summary>
    public static string RunKey(long scheduleId, DateTimeOffset due) => $"schedule:{scheduleId}:{due.ToUnixTimeMilliseconds()}";
}
