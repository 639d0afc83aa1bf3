using Jobwright.Engine;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Sqlite.Tests;

/// <summary>
/// A library node on a SQLite file and a <see cref="FakeTimeProvider"/>: a schedule fires as the clock moves, makes
/// nothing while paused, and when resumed — or when the node starts again after being down across due times —
/// makes what its misfire policy says of the times it missed, none missing and none twice.
/// </summary>
public sealed class ScheduleFiringOnFakeTimeTests : IAsyncDisposable
{
    private readonly FakeClockNode _node = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_paused_schedule_makes_nothing_and_when_resumed_its_missed_times_follow_runOnce()
    {
        var jobs = await StartAsync();
        var schedule = await jobs.CreateScheduleAsync(
            new ScheduleRequest { Name = "ten-minutes", Operation = "Nothing", Group = "Test", Cron = "*/10 * * * *", Overlap = "allow" }, "test", CancellationToken.None);
        Assert.Equal(_node.Time.GetUtcNow().AddMinutes(10), schedule.NextRun);

        await AdvanceAsync(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(5)));
        var first = await RunsAsync(jobs, schedule.ScheduleId, 1);
        Assert.Equal([("10:10", null)], first);

        await jobs.PauseScheduleAsync(schedule.ScheduleId, paused: true, CancellationToken.None);
        _node.Time.Advance(TimeSpan.FromMinutes(35));
        // Paused: a manual fire of everything due finds nothing to do.
        Assert.Equal(0, await _node.Services.GetRequiredService<ScheduleFirer>().FireDueAsync(CancellationToken.None));
        Assert.Single(await RunsAsync(jobs, schedule.ScheduleId, 1));

        await jobs.PauseScheduleAsync(schedule.ScheduleId, paused: false, CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        var all = await RunsAsync(jobs, schedule.ScheduleId, 4);
        Assert.Equal([("10:10", null), ("10:20", "MISFIRE"), ("10:30", "MISFIRE"), ("10:40", null)], all);
        Assert.Equal(_node.Time.GetUtcNow().Date.AddHours(10).AddMinutes(50), (await jobs.GetScheduleAsync(schedule.ScheduleId, CancellationToken.None))!.NextRun!.Value.UtcDateTime);
    }

    [Fact]
    public async Task A_node_stopped_across_due_times_makes_what_runOnce_says_when_it_starts_again_none_missing_none_twice()
    {
        var jobs = await StartAsync();
        var schedule = await jobs.CreateScheduleAsync(
            new ScheduleRequest { Name = "ten-minutes", Operation = "Nothing", Group = "Test", Cron = "*/10 * * * *", Overlap = "allow" }, "test", CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(5)));
        Assert.Equal([("10:10", null)], await RunsAsync(jobs, schedule.ScheduleId, 1));

        // The node is down across three due times (10:20, 10:30, 10:40), then a new one starts on the same file.
        await StopAsync();
        _node.Time.Advance(TimeSpan.FromMinutes(35));
        jobs = await StartAsync();
        // The new node's once-a-second look may begin after the clock last moved: make the look it makes.
        Assert.Equal(3, await _node.Services.GetRequiredService<ScheduleFirer>().FireDueAsync(CancellationToken.None));
        Assert.Equal([("10:10", null), ("10:20", "MISFIRE"), ("10:30", "MISFIRE"), ("10:40", null)], await RunsAsync(jobs, schedule.ScheduleId, 4));
        Assert.Equal(0, await _node.Services.GetRequiredService<ScheduleFirer>().FireDueAsync(CancellationToken.None));
    }

    // Moves the clock and makes the node's look: its once-a-second timer may have started before or after the
    // clock moved, and a look made twice fires once (a fire applies over the version it read).
    private async Task AdvanceAsync(TimeSpan by)
    {
        _node.Time.Advance(by);
        await _node.Services.GetRequiredService<ScheduleFirer>().FireDueAsync(CancellationToken.None);
    }

    private Task<JobService> StartAsync() => _node.StartAsync(jobwright => jobwright.AddOperation<NothingHandler>("Nothing", "Test"));

    // The schedule's jobs, oldest due first, as (due time HH:mm UTC, the code of a run not made), once there are
    // that many: read again after each change the store publishes.
    private static async Task<(string Due, string? NotRun)[]> RunsAsync(JobService jobs, long scheduleId, int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var changed = new SemaphoreSlim(0, 1);
        using var subscription = jobs.Changes.Subscribe(_ =>
        {
            if (changed.CurrentCount == 0)
            {
                changed.Release();
            }
        });
        while (true)
        {
            var page = await jobs.ListAsync(new JobQuery { ScheduleId = scheduleId, Limit = 100 }, limit.Token);
            if (page.Jobs.Count >= count)
            {
                return [.. page.Jobs
                    .Select(j => (Due: DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(j.IdempotencyKey!.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture)), j))
                    .OrderBy(x => x.Due)
                    .Select(x => (x.Due.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), x.j.Messages.FirstOrDefault()?.Code))];
            }

            await changed.WaitAsync(limit.Token);
        }
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private Task StopAsync() => _node.StopAsync();

    private sealed class NothingHandler : IJobHandler
    {
        public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) => Task.FromResult(JobOutcome.Completed());
    }
}
