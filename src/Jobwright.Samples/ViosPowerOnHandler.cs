using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>VirtualIOServer/PowerOn: a VIOS that is sometimes busy performing other tasks (FAILED_BEFORE_COMPLETION_RETRY).</summary>
public sealed class ViosPowerOnHandler(TimeProvider time) : IJobHandler
{
    private static readonly string[] Tasks = ["Check VIOS state", "Start VIOS firmware", "Start virtual I/O services"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = SampleSteps.StepDuration(context, Tasks.Length);
        await context.RunTaskAsync(Tasks[0], (task, ct) => SampleWork.StepAsync(task, step, time, ct), cancellationToken).ConfigureAwait(false);
        if (Random.Shared.NextDouble() < context.Parameters.Get("busyRate", 0.4))
        {
            return JobOutcome.TargetBusy(TimeSpan.FromSeconds(30), "The virtual I/O server (VIOS) is busy performing other tasks. Try the operation after some time.");
        }

        foreach (var name in Tasks.Skip(1))
        {
            await context.RunTaskAsync(name, (task, ct) => SampleWork.StepAsync(task, step, time, ct), cancellationToken).ConfigureAwait(false);
        }

        return JobOutcome.Completed();
    }
}
