namespace Jobwright.Scheduling;

/// <summary>
/// Decides what a schedule does when it is looked at: which of the times due since it last fired become runs,
/// which are MISFIRE or OVERLAP (each still a visible job), and when it is due next. A time is missed when it is
/// more than the misfire threshold behind the clock (<see cref="LateAfter"/> unless the node says otherwise; as
/// Quartz's misfireThreshold): the node was down, or the schedule paused. The misfire policy decides those, the
/// overlap policy every run made while the previous one has not ended.
/// </summary>
public static class ScheduleFiring
{
    /// <summary>How late a due time may be looked at and still count as on time, by default.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(1);

    // More due times than this in one look are not listed one by one: the oldest are dropped (still missed).
    private const int MaxListed = 1000;

    /// <param name="times">When the schedule is due.</param>
    /// <param name="lastDue">The due time it last fired for (or its creation time).</param>
    /// <param name="now">The clock.</param>
    /// <param name="misfire">A <see cref="MisfirePolicies"/> value.</param>
    /// <param name="catchUpWindow">For <see cref="MisfirePolicies.RunAll"/>: how far back missed times still run.</param>
    /// <param name="overlap">An <see cref="OverlapPolicies"/> value.</param>
    /// <param name="previousRunning">Whether the schedule's previous run has not ended yet.</param>
    /// <param name="previousWaiting">Whether a buffered run already waits for it.</param>
    /// <param name="lateAfter">The misfire threshold (<see cref="LateAfter"/> when null).</param>
    public static FiringPlan Plan(
        ScheduleTimes times, DateTimeOffset lastDue, DateTimeOffset now, string misfire, TimeSpan catchUpWindow,
        string overlap, bool previousRunning, bool previousWaiting = false, TimeSpan? lateAfter = null)
    {
        ArgumentNullException.ThrowIfNull(times);
        var threshold = lateAfter ?? LateAfter;
        var due = times.Between(lastDue, now, MaxListed);
        var runs = new List<PlannedRun>(due.Count);
        var onTime = due.Where(t => now - t <= threshold).ToArray();
        var late = due.Where(t => now - t > threshold).ToArray();
        // The misfire policy picks which late times still run; an on-time one always does.
        var make = new HashSet<DateTimeOffset>(onTime);
        switch (misfire)
        {
            case MisfirePolicies.RunAll:
                make.UnionWith(late.Where(t => now - t <= catchUpWindow));
                break;
            case MisfirePolicies.Skip:
                break;
            default:
                if (late.Length > 0 && onTime.Length == 0)
                {
                    make.Add(late[^1]);
                }

                break;
        }

        var running = previousRunning;
        var waiting = previousWaiting;
        foreach (var time in due)
        {
            if (!make.Contains(time))
            {
                runs.Add(new PlannedRun(time, PlannedRunKind.Misfire));
                continue;
            }

            var kind = !running ? PlannedRunKind.Run : overlap switch
            {
                OverlapPolicies.Allow => PlannedRunKind.Run,
                OverlapPolicies.CancelPrevious => PlannedRunKind.RunCancelingPrevious,
                OverlapPolicies.BufferOne => waiting ? PlannedRunKind.Overlap : PlannedRunKind.Buffered,
                _ => PlannedRunKind.Overlap,
            };
            runs.Add(new PlannedRun(time, kind));
            if (kind == PlannedRunKind.Buffered)
            {
                waiting = true;
            }
            else if (kind is PlannedRunKind.Run or PlannedRunKind.RunCancelingPrevious)
            {
                // The run just made is now the one a later time in this look would overlap.
                running = true;
            }
        }

        return new FiringPlan(runs, times.NextAfter(due.Count > 0 ? due[^1] : lastDue > now ? lastDue : now));
    }
}
