using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>
/// The stored schedules of a store (SQLite and PostgreSQL both keep them). A fire is one atomic write that
/// moves the schedule on and stores its runs, and applies only to the version it read: of two nodes looking at
/// the same due time, one makes its runs and the other changes nothing.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Stores a new schedule; null, and nothing stored, when its name is taken.</summary>
    Task<ScheduleRecord?> CreateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken);

    /// <summary>One schedule, or null.</summary>
    Task<ScheduleRecord?> GetScheduleAsync(long scheduleId, CancellationToken cancellationToken);

    /// <summary>Every schedule, by name.</summary>
    Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken);

    /// <summary>Removes a schedule (its jobs stay); false when there was none.</summary>
    Task<bool> DeleteScheduleAsync(long scheduleId, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="schedule"/> over the version it names; null when that version is no longer the stored one.</summary>
    Task<ScheduleRecord?> UpdateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken);

    /// <summary>The schedules not paused whose next run is at or before <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<ScheduleRecord>> DueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="fired"/> (its new last due time, next run and last job) over the version it names,
    /// and <paramref name="runs"/> with it, in one atomic write. Returns the ids of the runs' jobs, in order, or null
    /// (and nothing stored) when the schedule changed since it was read.
    /// </summary>
    Task<IReadOnlyList<long>?> FireScheduleAsync(ScheduleRecord fired, IReadOnlyList<ScheduledRun> runs, CancellationToken cancellationToken);
}

/// <summary>
/// A job a schedule makes for one due time; with <see cref="NotRunCode"/> (<c>MISFIRE</c> or <c>OVERLAP</c>) it is
/// stored as ended CANCELED_BEFORE_START with that message, so every run not made is visible.
/// </summary>
public sealed record ScheduledRun(NewJob Job, DateTimeOffset Due, string? NotRunCode, string? NotRunText);
