using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>LogicalPartition/PowerOff with the HMC's <c>operation</c> (shutdown, osshutdown, dumprestart, retrydump), <c>immediate</c> and <c>restart</c> parameters.</summary>
public sealed class PartitionPowerOffHandler(TimeProvider time) : IJobHandler
{
    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = context.Parameters.GetString("operation");
        var immediate = context.Parameters.Get("immediate", false);
        var restart = context.Parameters.Get("restart", false);
        var tasks = new List<string> { "Validate partition state" };
        if (operation == "retrydump")
        {
            // A dump that failed is taken again; the partition is not stopped a second time.
            await SampleSteps.RunAsync(context, [.. tasks, "Retry system dump"], time, cancellationToken).ConfigureAwait(false);
            context.SetResult("operation", operation);
            context.SetResult("PartitionState", "running");
            return JobOutcome.Completed();
        }

        tasks.Add(operation == "osshutdown" ? "Shut down the operating system" : immediate ? "Stop partition immediately" : "Stop partition (delayed)");
        if (operation == "dumprestart")
        {
            tasks.Add("Collect system dump");
        }

        if (restart)
        {
            tasks.Add("Restart partition");
        }

        await SampleSteps.RunAsync(context, tasks, time, cancellationToken).ConfigureAwait(false);
        context.SetResult("operation", operation ?? "shutdown");
        context.SetResult("PartitionState", restart ? "running" : "not activated");
        return JobOutcome.Completed();
    }
}
