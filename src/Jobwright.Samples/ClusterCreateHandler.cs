using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>Cluster/Create: creates a (simulated) shared storage pool cluster, as the HMC's template of that name.</summary>
public sealed class ClusterCreateHandler(TimeProvider time) : IJobHandler
{
    private static readonly string[] Tasks = ["Validate cluster nodes", "Create repository disk", "Create shared storage pool"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SampleSteps.RunAsync(context, Tasks, time, cancellationToken).ConfigureAwait(false);
        context.SetResult("ClusterName", context.Parameters.GetString("clusterName") ?? "cluster");
        return JobOutcome.Completed();
    }
}
