using Jobwright.Scheduling;

namespace Jobwright.Core.Tests;

/// <summary>
/// When schedules are due and what a look at one makes: every misfire and overlap policy, start and end dates,
/// and both DST transitions in two zones (Cronos' rules), all on explicit clocks.
/// </summary>
public sealed class ScheduleFiringTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_time_due_within_a_minute_runs_and_the_next_one_is_the_following_time()
    {
        var plan = Plan(Times("* * * * *"), Ten, Ten.AddSeconds(90), MisfirePolicies.RunOnce);
        Assert.Equal([(Ten.AddMinutes(1), PlannedRunKind.Run)], Runs(plan));
        Assert.Equal(Ten.AddMinutes(2), plan.NextRun);
    }

    [Fact]
    public void RunOnce_makes_one_catch_up_run_for_the_latest_missed_time_and_the_others_are_misfires()
    {
        var plan = Plan(Interval(TimeSpan.FromHours(1)), Ten, Ten.AddHours(3.5), MisfirePolicies.RunOnce);
        Assert.Equal(
            [(Ten.AddHours(1), PlannedRunKind.Misfire), (Ten.AddHours(2), PlannedRunKind.Misfire), (Ten.AddHours(3), PlannedRunKind.Run)],
            Runs(plan));
        Assert.Equal(Ten.AddHours(4), plan.NextRun);
    }

    [Fact]
    public void RunAll_runs_the_missed_times_within_the_catch_up_window_and_the_overlap_policy_still_holds()
    {
        var times = Interval(TimeSpan.FromHours(1));
        var allowed = Plan(times, Ten, Ten.AddHours(3.5), MisfirePolicies.RunAll, TimeSpan.FromMinutes(120), OverlapPolicies.Allow);
        Assert.Equal(
            [(Ten.AddHours(1), PlannedRunKind.Misfire), (Ten.AddHours(2), PlannedRunKind.Run), (Ten.AddHours(3), PlannedRunKind.Run)],
            Runs(allowed));
        var skipped = Plan(times, Ten, Ten.AddHours(3.5), MisfirePolicies.RunAll, TimeSpan.FromMinutes(120), OverlapPolicies.Skip);
        Assert.Equal(
            [(Ten.AddHours(1), PlannedRunKind.Misfire), (Ten.AddHours(2), PlannedRunKind.Run), (Ten.AddHours(3), PlannedRunKind.Overlap)],
            Runs(skipped));
    }

    [Fact]
    public void Skip_makes_no_catch_up_run_but_a_time_due_now_still_runs()
    {
        var plan = Plan(Times("*/10 * * * *"), Ten, Ten.AddMinutes(30).AddSeconds(20), MisfirePolicies.Skip);
        Assert.Equal(
            [(Ten.AddMinutes(10), PlannedRunKind.Misfire), (Ten.AddMinutes(20), PlannedRunKind.Misfire), (Ten.AddMinutes(30), PlannedRunKind.Run)],
            Runs(plan));
        Assert.All(Plan(Times("*/10 * * * *"), Ten, Ten.AddMinutes(25), MisfirePolicies.Skip).Runs, r => Assert.Equal(PlannedRunKind.Misfire, r.Kind));
    }

    [Theory]
    [InlineData(OverlapPolicies.Skip, false, PlannedRunKind.Overlap)]
    [InlineData(OverlapPolicies.Allow, false, PlannedRunKind.Run)]
    [InlineData(OverlapPolicies.CancelPrevious, false, PlannedRunKind.RunCancelingPrevious)]
    [InlineData(OverlapPolicies.BufferOne, false, PlannedRunKind.Buffered)]
    [InlineData(OverlapPolicies.BufferOne, true, PlannedRunKind.Overlap)]
    public void A_time_due_while_the_previous_run_has_not_ended_follows_the_overlap_policy(string overlap, bool alreadyBuffered, PlannedRunKind expected)
    {
        var plan = ScheduleFiring.Plan(Times("* * * * *"), Ten, Ten.AddSeconds(70), MisfirePolicies.RunOnce, TimeSpan.Zero, overlap, previousRunning: true, previousWaiting: alreadyBuffered);
        Assert.Equal([(Ten.AddMinutes(1), expected)], Runs(plan));
    }

    [Fact]
    public void Nothing_is_due_before_the_start_or_after_the_end()
    {
        var (times, errors) = ScheduleTimes.Create(null, TimeSpan.FromHours(1), null, Ten.AddMinutes(15), Ten.AddHours(2.5));
        Assert.Empty(errors);
        Assert.Equal(Ten.AddMinutes(15), times!.NextAfter(Ten));
        Assert.Equal([Ten.AddMinutes(15), Ten.AddMinutes(75), Ten.AddMinutes(135)], times.Between(Ten, Ten.AddDays(1), 10));
        Assert.Null(times.NextAfter(Ten.AddMinutes(135)));
        var ended = Plan(times, Ten.AddMinutes(135), Ten.AddDays(1), MisfirePolicies.RunOnce);
        Assert.Empty(ended.Runs);
        Assert.Null(ended.NextRun);
    }

    [Theory]
    // Spring forward: 02:30 does not exist that night, so the daily run is at the next valid time, 03:00.
    [InlineData("Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z")]
    public void A_local_time_that_does_not_exist_runs_at_the_next_valid_time(string zone, string after, string expected)
    {
        var (times, errors) = ScheduleTimes.Create("30 2 * * *", null, zone, DateTimeOffset.MinValue, null);
        Assert.Empty(errors);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), times!.NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    // Fall back: 01:30 (New York) and 02:30 (Berlin) happen twice; a fixed time runs once, an interval expression twice.
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z", 1)]
    [InlineData("Europe/Berlin", "*/30 2 * * *", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z", 4)]
    [InlineData("America/New_York", "30 1 * * *", "2026-11-01T04:00:00Z", "2026-11-01T07:00:00Z", 1)]
    [InlineData("America/New_York", "*/30 1 * * *", "2026-11-01T04:00:00Z", "2026-11-01T07:00:00Z", 4)]
    public void A_local_time_that_happens_twice_runs_once_for_a_fixed_time_and_twice_for_an_interval(string zone, string cron, string from, string to, int runs)
    {
        var (times, errors) = ScheduleTimes.Create(cron, null, zone, DateTimeOffset.MinValue, null);
        Assert.Empty(errors);
        var due = times!.Between(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), 100);
        Assert.Equal(runs, due.Count);
        Assert.Equal(due.Count, due.Distinct().Count());
    }

    [Theory]
    [InlineData("every minute", null, null, "cron")]
    [InlineData("* * * * *", "5m", null, "cron")]
    [InlineData(null, null, null, "cron")]
    [InlineData("* * * * *", null, "Mars/Olympus", "timeZone")]
    [InlineData(null, "0s", null, "interval")]
    public void A_schedule_that_cannot_be_due_is_refused_naming_the_field(string? cron, string? interval, string? zone, string field)
    {
        TimeSpan? every = interval is null ? null : Jobwright.Model.DurationText.TryParse(interval, out var parsed) ? parsed : TimeSpan.Zero;
        var (times, errors) = ScheduleTimes.Create(cron, every, zone, Ten, null);
        Assert.Null(times);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void An_end_before_the_start_is_refused()
    {
        var (_, errors) = ScheduleTimes.Create("* * * * *", null, null, Ten, Ten.AddHours(-1));
        Assert.Equal("end", Assert.Single(errors).Field);
    }

    private static ScheduleTimes Times(string cron) => ScheduleTimes.Create(cron, null, null, DateTimeOffset.MinValue, null).Times!;

    private static ScheduleTimes Interval(TimeSpan every) => ScheduleTimes.Create(null, every, null, Ten, null).Times!;

    private static FiringPlan Plan(ScheduleTimes times, DateTimeOffset lastDue, DateTimeOffset now, string misfire, TimeSpan? window = null, string overlap = OverlapPolicies.Allow) =>
        ScheduleFiring.Plan(times, lastDue, now, misfire, window ?? TimeSpan.Zero, overlap, previousRunning: false);

    private static (DateTimeOffset, PlannedRunKind)[] Runs(FiringPlan plan) => [.. plan.Runs.Select(r => (r.Due, r.Kind))];
}
