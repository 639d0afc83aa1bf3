using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Cli;

/// <summary>One plain line per change of a job, for output that is not a terminal.</summary>
internal static class PlainProgress
{
    public static IEnumerable<string> Changes(JobRecord? before, JobRecord after)
    {
        var prefix = $"job {after.JobId}:";
        if (before is null || before.Status != after.Status || before.CancelRequested != after.CancelRequested)
        {
            var reason = after.NotStartedReason is { } r ? $" ({r.Code}: {r.Message})" : string.Empty;
            var cancel = after.CancelRequested && !after.Status.IsTerminal() ? " (cancel requested)" : string.Empty;
            if (!after.Status.IsTerminal())
            {
                yield return $"{prefix} {after.Status.ToWire()}{reason}{cancel}";
            }
        }

        var known = before?.Progress.CompletedTasks.Count ?? 0;
        foreach (var task in after.Progress.CompletedTasks.Skip(known))
        {
            yield return $"{prefix} task \"{task.Name}\" {task.Status.ToWire()}{(task.Message is null ? string.Empty : " — " + task.Message)}";
        }

        if (after.Progress.CurrentTask is { } current &&
            (before?.Progress.CurrentTask?.Name != current.Name || before.Progress.CurrentTask.Percent != current.Percent))
        {
            yield return $"{prefix} task \"{current.Name}\" {(current.Percent is { } p ? $"{p}%" : "started")}";
        }

        if (after.Status.IsTerminal() && before?.Status != after.Status)
        {
            var detail = after.Error?.Message ?? (after.Results.TryGetValue("returnCode", out var code) ? $"returnCode {code}" : null);
            yield return $"{prefix} {after.Status.ToWire()}{(detail is null ? string.Empty : " — " + detail)}";
        }

        if ((before is null || before.Resolution != after.Resolution) && ResolutionText.Of(after) is { } resolution)
        {
            yield return $"{prefix} {resolution}";
        }
    }
}
