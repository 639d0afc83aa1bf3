using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>LogicalPartition/PowerOff with the HMC's <c>operation</c>, <c>immediate</c> and <c>restart</c> parameters.</summary>
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
        context.SetResult("PartitionState", restart ? "running" : "not activated");
        return JobOutcome.Completed();
    }
}
