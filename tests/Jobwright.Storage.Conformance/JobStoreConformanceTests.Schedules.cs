using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Storage.Conformance;

/// <summary>Schedules: stored with every field, names unique, updates and fires only over the version read, runs stored with the fire.</summary>
public abstract partial class JobStoreConformanceTests
{
    private static readonly DateTimeOffset ScheduleStart = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Fact]
    public async Task A_schedule_is_stored_with_every_field_and_its_name_is_unique()
    {
        await using var f = await NewFixtureAsync();
        var schedules = (IScheduleStore)f.Store;
        var created = (await schedules.CreateScheduleAsync(Schedule("nightly"), None))!;
        Assert.True(created.ScheduleId > 0);
        Assert.Equal(1, created.Version);
        Assert.Null(await schedules.CreateScheduleAsync(Schedule("nightly"), None));

        var read = (await schedules.GetScheduleAsync(created.ScheduleId, None))!;
        Assert.Equal(created with { Parameters = read.Parameters }, read);
        Assert.Equal(created.Parameters.ToJsonString(), read.Parameters.ToJsonString());
        Assert.Equal(["nightly"], (await schedules.ListSchedulesAsync(None)).Select(s => s.Name));
        Assert.True(await schedules.DeleteScheduleAsync(created.ScheduleId, None));
        Assert.Null(await schedules.GetScheduleAsync(created.ScheduleId, None));
        Assert.False(await schedules.DeleteScheduleAsync(created.ScheduleId, None));
    }

    [Fact]
    public async Task An_update_and_a_fire_apply_only_over_the_version_read()
    {
        await using var f = await NewFixtureAsync();
        var schedules = (IScheduleStore)f.Store;
        var created = (await schedules.CreateScheduleAsync(Schedule("hourly") with { NextRun = ScheduleStart }, None))!;
        Assert.Equal([created.ScheduleId], (await schedules.DueSchedulesAsync(ScheduleStart, 10, None)).Select(s => s.ScheduleId));
        Assert.Empty(await schedules.DueSchedulesAsync(ScheduleStart.AddMilliseconds(-1), 10, None));

        var paused = (await schedules.UpdateScheduleAsync(created with { Paused = true }, None))!;
        Assert.Equal(2, paused.Version);
        Assert.Empty(await schedules.DueSchedulesAsync(ScheduleStart, 10, None));
        Assert.Null(await schedules.UpdateScheduleAsync(created with { Paused = false }, None));

        // A fire over a stale version stores nothing.
        var run = new ScheduledRun(StoreFixture.Job() with { IdempotencyKey = $"schedule:{created.ScheduleId}:1" }, ScheduleStart, null, null);
        Assert.Null(await schedules.FireScheduleAsync(created with { LastDue = ScheduleStart }, [run], None));
        Assert.Equal(0, (await f.Store.CountByStatusAsync(None)).Values.Sum());

        var fired = paused with { Paused = false, LastDue = ScheduleStart, NextRun = ScheduleStart.AddHours(1) };
        var missed = new ScheduledRun(StoreFixture.Job() with { IdempotencyKey = $"schedule:{created.ScheduleId}:0" }, ScheduleStart.AddHours(-1), "MISFIRE", "due at 08:00; not run: the node was down");
        var ids = (await schedules.FireScheduleAsync(fired, [missed, run], None))!;
        Assert.Equal(2, ids.Count);
        var notRun = await f.GetAsync(ids[0]);
        Assert.Equal(JobStatus.CanceledBeforeStart, notRun.Status);
        Assert.Equal("MISFIRE", Assert.Single(notRun.Messages).Code);
        Assert.Equal(created.ScheduleId, notRun.ScheduleId);
        var made = await f.GetAsync(ids[1]);
        Assert.Equal(JobStatus.NotStarted, made.Status);
        Assert.Equal(created.ScheduleId, made.ScheduleId);

        var after = (await schedules.GetScheduleAsync(created.ScheduleId, None))!;
        Assert.Equal(ScheduleStart.AddHours(1), after.NextRun);
        Assert.Equal(ScheduleStart, after.LastDue);
        Assert.Equal(ids[1], after.LastJobId);
        Assert.Equal(3, after.Version);
        Assert.Null(await schedules.FireScheduleAsync(fired, [run with { Job = run.Job with { IdempotencyKey = "other" } }], None));
        Assert.Equal(2, (await f.Store.CountByStatusAsync(None)).Values.Sum());
    }

    private static ScheduleRecord Schedule(string name) => new()
    {
        Name = name,
        Operation = "Simulate",
        Group = "Sample",
        Target = "lpar-s",
        Parameters = new JsonObject { ["durationMs"] = 10, ["note"] = "ü" },
        Cron = "0 * * * *",
        TimeZone = "Europe/Berlin",
        Start = ScheduleStart,
        End = ScheduleStart.AddDays(30),
        Misfire = "runAll",
        CatchUpWindowSeconds = 7200,
        Overlap = "bufferOne",
        LastDue = ScheduleStart,
        CreatedBy = "op",
        CreatedAt = ScheduleStart,
    };
}
