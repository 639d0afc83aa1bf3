using Cronos;
using Jobwright.Operations;

namespace Jobwright.Scheduling;

/// <summary>
/// When a schedule is due: a cron expression (Cronos; five fields, or six with seconds) in an IANA time zone,
/// or a fixed interval from its start; never before <see cref="Start"/>, never after <see cref="End"/>. Across
/// DST, Cronos' rules hold: a local time that does not exist runs at the next valid time; one that happens twice
/// runs once for a fixed time and twice for an interval expression (such as every 30 minutes).
/// </summary>
public sealed class ScheduleTimes
{
    private readonly CronExpression? _cron;

    private ScheduleTimes(CronExpression? cron, TimeSpan? interval, TimeZoneInfo zone, DateTimeOffset start, DateTimeOffset? end)
    {
        _cron = cron;
        Interval = interval;
        Zone = zone;
        Start = start;
        End = end;
    }

    /// <summary>The fixed interval, when the schedule has no cron expression.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>The time zone the cron expression is read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>No run is due before this.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>No run is due after this.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>
    /// The times of a schedule, or the fields that are wrong: exactly one of <paramref name="cron"/> and
    /// <paramref name="interval"/>; a known IANA <paramref name="timeZone"/> (UTC when null); an end after the start.
    /// </summary>
    public static (ScheduleTimes? Times, IReadOnlyList<FieldError> Errors) Create(
        string? cron, TimeSpan? interval, string? timeZone, DateTimeOffset start, DateTimeOffset? end)
    {
        var errors = new List<FieldError>();
        CronExpression? expression = null;
        if ((cron is null) == (interval is null))
        {
            errors.Add(new("cron", "Give exactly one of cron (e.g. \"*/5 * * * *\", or six fields with seconds) and interval (e.g. \"10m\")."));
        }
        else if (cron is not null)
        {
            try
            {
                expression = CronExpression.Parse(cron, cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            }
            catch (CronFormatException e)
            {
                errors.Add(new("cron", $"'{cron}' is not a cron expression ({e.Message}); write five fields (\"0 6 * * 1-5\") or six with seconds (\"*/30 * * * * *\")."));
            }
        }
        else if (interval is not { } every || every < TimeSpan.FromSeconds(1))
        {
            errors.Add(new("interval", "The interval must be at least 1 second, e.g. \"30s\" or \"1h\"."));
        }

        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
        {
            errors.Add(new("timeZone", $"'{timeZone}' is not a known IANA time zone; write e.g. \"Europe/Berlin\" or \"America/New_York\" (UTC when left out)."));
            zone = TimeZoneInfo.Utc;
        }

        if (end is { } last && last <= start)
        {
            errors.Add(new("end", "The end must come after the start."));
        }

        return errors.Count > 0 ? (null, errors) : (new ScheduleTimes(expression, interval, zone, start, end), errors);
    }

    /// <summary>The first time the schedule is due after <paramref name="after"/>, or null when none is left.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        DateTimeOffset? next;
        if (_cron is not null)
        {
            var from = after < Start ? Start.AddTicks(-1) : after;
            next = _cron.GetNextOccurrence(from, Zone);
        }
        else
        {
            var every = Interval!.Value;
            // Interval runs fall on Start + k × interval; the next is the first of them after 'after'.
            var periods = after < Start ? 0 : (long)Math.Floor((after - Start) / every) + 1;
            next = Start + (every * periods);
        }

        return next is { } due && (End is null || due <= End) ? due : null;
    }

    /// <summary>The times due after <paramref name="after"/> and at or before <paramref name="until"/>, oldest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until, int max)
    {
        var times = new List<DateTimeOffset>();
        for (var next = NextAfter(after); next is { } due && due <= until && times.Count < max; next = NextAfter(due))
        {
            times.Add(due);
        }

        return times;
    }
}
