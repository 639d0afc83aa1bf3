using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>Runs a list of named sample tasks over the job's <c>durationMs</c>.</summary>
internal static class SampleSteps
{
    public static TimeSpan StepDuration(JobContext context, int taskCount) =>
        TimeSpan.FromMilliseconds(context.Parameters.Get("durationMs", 3000L) / (double)Math.Max(1, taskCount));

    public static async Task RunAsync(JobContext context, IReadOnlyList<string> tasks, TimeProvider time, CancellationToken cancellationToken)
    {
        var step = StepDuration(context, tasks.Count);
        context.SetExpectedTaskCount(tasks.Count);
        foreach (var name in tasks)
        {
            await context.RunTaskAsync(name, (task, ct) => SampleWork.StepAsync(task, step, time, ct), cancellationToken).ConfigureAwait(false);
        }
    }
}
