using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>LogicalPartition/PowerOn: activates a partition through the steps an HMC shows.</summary>
public sealed class PartitionPowerOnHandler(TimeProvider time) : IJobHandler
{
    private static readonly string[] Tasks =
        ["Validate partition state", "Allocate processors and memory", "Start partition firmware", "Boot operating system"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bootMode = context.Parameters.GetString("bootmode");
        await SampleSteps.RunAsync(context, Tasks, time, cancellationToken).ConfigureAwait(false);
        context.SetResult("bootmode", bootMode ?? "norm");
        context.SetResult("PartitionState", "running");
        return JobOutcome.Completed();
    }
}
