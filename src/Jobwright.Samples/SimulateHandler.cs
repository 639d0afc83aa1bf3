using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>
/// Sample/Simulate: runs <c>tasks</c> tasks over <c>durationMs</c>, fails the tasks listed in
/// <c>failTasks</c>, then ends as <c>outcome</c> says, so that any status can be produced on demand.
/// </summary>
public sealed class SimulateHandler(TimeProvider time) : IJobHandler
{
    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var duration = TimeSpan.FromMilliseconds(context.Parameters.Get<long>("durationMs"));
        var tasks = (int)context.Parameters.Get<long>("tasks");
        var failTasks = ParseTaskNumbers(context.Parameters.GetString("failTasks"));
        var ignoreCancel = context.Parameters.Get("ignoreCancel", false);
        // A handler that ignores cancel waits on a token that never fires.
        var token = ignoreCancel ? CancellationToken.None : cancellationToken;

        context.SetExpectedTaskCount(tasks);
        if (tasks == 0)
        {
            await Task.Delay(duration, time, token).ConfigureAwait(false);
        }

        for (var number = 1; number <= tasks; number++)
        {
            var fails = failTasks.Contains(number);
            await context.RunTaskAsync($"Task {number} of {tasks}", async (task, ct) =>
            {
                await SampleWork.StepAsync(task, duration / tasks, time, ct).ConfigureAwait(false);
                if (fails)
                {
                    task.Fail($"task {number} failed, as failTasks asked");
                }
            }, token).ConfigureAwait(false);
        }

        return context.Parameters.GetString("outcome") switch
        {
            "precondition" => JobOutcome.PreconditionFailed("the simulated precondition is not met"),
            "rerun" => JobOutcome.RerunNeeded("the simulated job must be rerun in its entirety"),
            "throw" => throw new InvalidOperationException("simulated failure: the handler threw"),
            "busy" => JobOutcome.TargetBusy(TimeSpan.FromSeconds(30), "the simulated target is busy performing other tasks"),
            _ => JobOutcome.Completed(),
        };
    }

    private static HashSet<int> ParseTaskNumbers(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? []
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
}
