using Jobwright.Model;
using Jobwright.Scheduling;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Recurring jobs (SPEC §5.7): schedules are validated when created (operation, target, parameters, times,
/// policies), stored, and fired by every node (<see cref="ScheduleFirer"/>) exactly once per due time.
/// </summary>
public sealed partial class JobService
{
    private const int MaxScheduleNameLength = 100;
    private const int MaxPreview = 100;

    /// <summary>Creates a schedule; refused (nothing stored) with the fields that are wrong, or when its name is taken.</summary>
    public async Task<ScheduleRecord> CreateScheduleAsync(ScheduleRequest request, string? actor, CancellationToken cancellationToken)
    {
        var created = await Schedules().CreateScheduleAsync(Build(request, actor), cancellationToken).ConfigureAwait(false);
        return Shown(created ?? throw new JobRequestException(
            JobProblemKind.Conflict, $"A schedule named '{request.Name}' exists already.", [new("name", "Choose another name, or delete the other schedule.")]));
    }

    /// <summary>
    /// Replaces what a schedule does and when (validated as a new one); it keeps its id, its creation and its last
    /// run, and is due next by its new times from now on (the times of the old ones are not caught up).
    /// </summary>
    public async Task<ScheduleRecord> UpdateScheduleAsync(long scheduleId, ScheduleRequest request, CancellationToken cancellationToken)
    {
        var schedules = Schedules();
        var built = Build(request, actor: null);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw ScheduleNotFound(scheduleId);
            if (stored.Name != built.Name && (await schedules.ListSchedulesAsync(cancellationToken).ConfigureAwait(false)).Any(s => s.Name == built.Name))
            {
                throw new JobRequestException(JobProblemKind.Conflict, $"A schedule named '{built.Name}' exists already.", [new("name", "Choose another name.")]);
            }

            var replaced = built with
            {
                ScheduleId = stored.ScheduleId, Version = stored.Version, Paused = stored.Paused, LastJobId = stored.LastJobId,
                CreatedBy = stored.CreatedBy, CreatedAt = stored.CreatedAt,
            };
            if (await schedules.UpdateScheduleAsync(replaced, cancellationToken).ConfigureAwait(false) is { } updated)
            {
                return Shown(updated);
            }
        }

        throw new JobRequestException(JobProblemKind.Conflict, $"Schedule {scheduleId} kept changing; try again.", [new("scheduleId", "Try again.")]);
    }

    // A schedule as the request says, validated whole (nothing is stored when a field is wrong).
    private ScheduleRecord Build(ScheduleRequest request, string? actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = FindOperation(request.Operation, request.Group);
        var (parameters, target, errors) = ValidateRun(operation, request.Target, request.Parameters);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxScheduleNameLength || request.Name.Any(char.IsControl))
        {
            errors.Add(new("name", $"Give the schedule a name of 1 to {MaxScheduleNameLength} printable characters, e.g. \"nightly-backup\"."));
        }

        var now = _time.GetUtcNow();
        var start = request.Start ?? now;
        var (times, timeErrors) = ScheduleTimes.Create(request.Cron, request.Interval, request.TimeZone, start, request.End);
        errors.AddRange(timeErrors);
        var misfire = request.Misfire ?? MisfirePolicies.RunOnce;
        if (!MisfirePolicies.All.Contains(misfire))
        {
            errors.Add(new("misfire", $"'{misfire}' is not a misfire policy; use one of {string.Join(", ", MisfirePolicies.All)}."));
        }

        var overlap = request.Overlap ?? OverlapPolicies.Skip;
        if (!OverlapPolicies.All.Contains(overlap))
        {
            errors.Add(new("overlap", $"'{overlap}' is not an overlap policy; use one of {string.Join(", ", OverlapPolicies.All)}."));
        }

        if (request.CatchUpWindow is { } window && window < TimeSpan.Zero)
        {
            errors.Add(new("catchUpWindow", "The catch-up window cannot be negative, e.g. \"1h\"."));
        }

        if (errors.Count > 0)
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, "The schedule is invalid: " + string.Join(" ", errors.Select(e => e.Message)), errors);
        }

        // Nothing before its creation counts as missed: the first run is the first time due from now on.
        var from = start > now ? start.AddTicks(-1) : now;
        return new ScheduleRecord
        {
            Name = request.Name,
            Operation = operation.Name,
            Group = operation.Group,
            Target = target,
            Parameters = _protector.Protect(operation, parameters),
            Cron = request.Cron,
            IntervalSeconds = request.Interval?.TotalSeconds,
            TimeZone = times!.Zone.Id,
            Start = start,
            End = request.End,
            Misfire = misfire,
            CatchUpWindowSeconds = (request.CatchUpWindow ?? TimeSpan.FromHours(1)).TotalSeconds,
            Overlap = overlap,
            NextRun = times.NextAfter(from),
            LastDue = from,
            CreatedBy = actor,
            CreatedAt = now,
        };
    }

    /// <summary>One schedule, or null.</summary>
    public async Task<ScheduleRecord?> GetScheduleAsync(long scheduleId, CancellationToken cancellationToken) =>
        await Schedules().GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) is { } schedule ? Shown(schedule) : null;

    /// <summary>Every schedule, by name.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken) =>
        [.. (await Schedules().ListSchedulesAsync(cancellationToken).ConfigureAwait(false)).Select(Shown)];

    /// <summary>Deletes a schedule; the jobs it made stay.</summary>
    public async Task DeleteScheduleAsync(long scheduleId, CancellationToken cancellationToken)
    {
        if (!await Schedules().DeleteScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false))
        {
            throw ScheduleNotFound(scheduleId);
        }
    }

    /// <summary>Pauses (or resumes) a schedule. A resumed schedule's runs missed meanwhile follow its misfire policy.</summary>
    public async Task<ScheduleRecord> PauseScheduleAsync(long scheduleId, bool paused, CancellationToken cancellationToken)
    {
        var schedules = Schedules();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var schedule = await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw ScheduleNotFound(scheduleId);
            if (schedule.Paused == paused)
            {
                return Shown(schedule);
            }

            // A schedule fired meanwhile was read at an older version: read it again.
            if (await schedules.UpdateScheduleAsync(schedule with { Paused = paused }, cancellationToken).ConfigureAwait(false) is { } updated)
            {
                return Shown(updated);
            }
        }

        throw new JobRequestException(JobProblemKind.Conflict, $"Schedule {scheduleId} kept changing; try again.", [new("scheduleId", "Try again.")]);
    }

    /// <summary>Makes one run of the schedule now (its overlap policy holds); returns the job.</summary>
    public async Task<JobRecord> TriggerScheduleAsync(long scheduleId, CancellationToken cancellationToken)
    {
        var schedules = Schedules();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var schedule = await schedules.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw ScheduleNotFound(scheduleId);
            if (await _firer.FireAsync(schedules, schedule, manual: true, cancellationToken).ConfigureAwait(false) is > 0)
            {
                _dispatcher.Wake();
                var page = await _queries.ListAsync(new JobQuery { ScheduleId = scheduleId, Limit = 1 }, cancellationToken).ConfigureAwait(false);
                return (await GetAsync(page.Jobs[0].JobId, cancellationToken).ConfigureAwait(false))!;
            }
        }

        throw new JobRequestException(JobProblemKind.Conflict, $"Schedule {scheduleId} kept changing; try again.", [new("scheduleId", "Try again.")]);
    }

    /// <summary>The next <paramref name="count"/> times the schedule is due (fewer when it ends sooner).</summary>
    public async Task<IReadOnlyList<DateTimeOffset>> NextRunsAsync(long scheduleId, int count, CancellationToken cancellationToken)
    {
        var schedule = await Schedules().GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false) ?? throw ScheduleNotFound(scheduleId);
        return NextRuns(schedule, count);
    }

    /// <summary>The next <paramref name="count"/> times <paramref name="schedule"/> is due.</summary>
    public static IReadOnlyList<DateTimeOffset> NextRuns(ScheduleRecord schedule, int count)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.NextRun is not { } next)
        {
            return [];
        }

        var times = ScheduleClock.Of(schedule);
        return [next, .. times.Between(next, DateTimeOffset.MaxValue.AddYears(-1), Math.Clamp(count, 1, MaxPreview) - 1)];
    }

    private IScheduleStore Schedules() => _store as IScheduleStore
        ?? throw new JobRequestException(JobProblemKind.Conflict, $"The {_store.Kind} store keeps no schedules.", [new("store", "Use the SQLite or PostgreSQL store.")]);

    private static JobRequestException ScheduleNotFound(long scheduleId) =>
        new(JobProblemKind.ScheduleNotFound, $"There is no schedule {scheduleId}.", [new("scheduleId", $"No schedule has the id {scheduleId}; GET /api/v1/schedules lists them.")]);

    // Sensitive parameters are never shown; the next runs are.
    private ScheduleRecord Shown(ScheduleRecord stored)
    {
        var schedule = stored with { NextRuns = NextRuns(stored, 5) };
        return Masked(schedule.Parameters, _operations.Find(schedule.Group, schedule.Operation)) is { } masked ? schedule with { Parameters = masked } : schedule;
    }
}
