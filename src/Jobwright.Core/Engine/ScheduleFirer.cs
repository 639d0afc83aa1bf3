using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Scheduling;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Turns due schedules into jobs, every second on every node: each due schedule is planned
/// (<see cref="ScheduleFiring"/>) and fired over the version read, so when several nodes look at the same due
/// time one of them makes its runs. Firing never depends on one node staying up.
/// </summary>
internal sealed class ScheduleFirer(
    IJobStore store, OperationRegistry operations, Action wake, TimeSpan misfireThreshold, TimeProvider time, ILogger<ScheduleFirer> logger) : INodeService
{
    private const int Batch = 100;

    public async Task RunAsync(CancellationToken stopping)
    {
        if (store is not IScheduleStore)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await FireDueAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ScheduleFireFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fires every schedule due now; returns how many jobs it stored (runs and runs not made).</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var schedules = (IScheduleStore)store;
        var made = 0;
        while (true)
        {
            // A batch's fires go to the store together (its writer commits them in one transaction), and batches
            // follow each other until nothing is due: many schedules due at once do not wait a tick per hundred.
            var due = await schedules.DueSchedulesAsync(time.GetUtcNow(), Batch, cancellationToken).ConfigureAwait(false);
            var fired = await Task.WhenAll(due.Select(s => FireAsync(schedules, s, manual: false, cancellationToken))).ConfigureAwait(false);
            made += fired.Sum(n => n ?? 0);
            // A schedule another node fired first (null) is read again next tick, not now: this node lost that race.
            if (due.Count < Batch || fired.All(n => n is null or 0))
            {
                break;
            }
        }

        if (made > 0)
        {
            wake();
        }

        return made;
    }

    /// <summary>Fires one schedule now; with <paramref name="manual"/>, one run due now besides its plan. Null when another node fired it first.</summary>
    public async Task<int?> FireAsync(IScheduleStore schedules, ScheduleRecord schedule, bool manual, CancellationToken cancellationToken)
    {
        if (operations.Find(schedule.Group, schedule.Operation) is not { } operation)
        {
            // Another node serves it; on a node that serves none, the jobs would only wait with NO_NODE.
            return 0;
        }

        var now = time.GetUtcNow();
        var times = ScheduleClock.Of(schedule);
        var previous = schedule.LastJobId is { } last ? await store.GetAsync(last, includeHistory: false, cancellationToken).ConfigureAwait(false) : null;
        var previousRunning = previous is not null && !previous.Status.IsTerminal();
        var plan = manual
            ? new FiringPlan([new PlannedRun(now, previousRunning && schedule.Overlap == OverlapPolicies.Skip ? PlannedRunKind.Overlap : PlannedRunKind.Run)], schedule.NextRun)
            : ScheduleFiring.Plan(
                times, schedule.LastDue, now, schedule.Misfire, TimeSpan.FromSeconds(schedule.CatchUpWindowSeconds), schedule.Overlap,
                previousRunning, previousWaiting: previous is { Status: JobStatus.NotStarted } && schedule.Overlap == OverlapPolicies.BufferOne,
                lateAfter: misfireThreshold);
        if (plan.Runs.Any(r => r.Kind == PlannedRunKind.RunCancelingPrevious) && previousRunning)
        {
            await store.CancelAsync(previous!.JobId, $"schedule {schedule.Name}", cancellationToken).ConfigureAwait(false);
        }

        var runs = plan.Runs.Select(run => Run(schedule, operation, run, previous)).ToArray();
        var fired = manual ? schedule : schedule with { LastDue = plan.Runs.Count > 0 ? plan.Runs[^1].Due : schedule.LastDue, NextRun = plan.NextRun };
        var ids = await schedules.FireScheduleAsync(fired, runs, cancellationToken).ConfigureAwait(false);
        return ids?.Count;
    }

    private static ScheduledRun Run(ScheduleRecord schedule, OperationDefinition operation, PlannedRun run, JobRecord? previous)
    {
        var job = NewJobs.From(operation, schedule.Target, schedule.Parameters, $"schedule:{schedule.Name}", ScheduleClock.RunKey(schedule.ScheduleId, run.Due))
            with { ScheduleId = schedule.ScheduleId };
        if (schedule.Overlap == OverlapPolicies.BufferOne && job.TargetKey is null)
        {
            // Every run of a bufferOne schedule holds the schedule as a job holds its target, so a buffered run
            // waits for the previous one (reason TARGET_BUSY); a schedule with a target holds that already.
            job = job with { TargetKey = $"schedule/{schedule.ScheduleId}", TargetLimit = 1 };
        }

        var due = $"due at {run.Due.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
        return run.Kind switch
        {
            PlannedRunKind.Misfire => new ScheduledRun(job, run.Due, "MISFIRE", $"{due}; not run: it was missed (the schedule was paused or no node was up) and the misfire policy is {schedule.Misfire}"),
            PlannedRunKind.Overlap => new ScheduledRun(job, run.Due, "OVERLAP", $"{due}; not run: the previous run{(previous is null ? string.Empty : $", job {previous.JobId},")} had not ended and the overlap policy is {schedule.Overlap}"),
            _ => new ScheduledRun(job, run.Due, null, null),
        };
    }
}
