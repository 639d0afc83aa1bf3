using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>
/// Runs a revert job of a sample: one task per task to undo (the reverted job's OK tasks, last first), each
/// named after the task it undoes.
/// </summary>
internal static class SampleRevert
{
    public static async Task<JobOutcome> RunAsync(JobContext context, Func<string, string> undo, TimeProvider time, CancellationToken cancellationToken)
    {
        var tasks = context.TasksToRevert;
        var step = SampleSteps.StepDuration(context, tasks.Count);
        context.SetExpectedTaskCount(tasks.Count);
        foreach (var done in tasks)
        {
            await context.RunTaskAsync(undo(done.Name), (task, ct) => SampleWork.StepAsync(task, step, time, ct), cancellationToken).ConfigureAwait(false);
        }

        context.SetResult("revertedJob", context.Reverts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        return JobOutcome.Completed();
    }
}

/// <summary>Reverts a Sample/Simulate job: undoes each task that ended OK, last first.</summary>
public sealed class SimulateRevertHandler(TimeProvider time) : IJobHandler
{
    /// <inheritdoc />
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SampleRevert.RunAsync(context, name => "Revert " + name, time, cancellationToken);
    }
}

/// <summary>
/// Reverts a LogicalPartition/Migrate job: moves back what moved, last first — the storage mappings back to the
/// source system, the partition removed from the target system.
/// </summary>
public sealed class PartitionMigrateRevertHandler(TimeProvider time) : IJobHandler
{
    private static readonly Dictionary<string, string> Undo = new(StringComparer.Ordinal)
    {
        ["Validate migration"] = "Validate the way back",
        ["Create partition on target system"] = "Remove partition from target system",
        ["Move storage mappings"] = "Move storage mappings back to the source system",
        ["Transfer memory pages"] = "Transfer memory pages back",
        ["Resume partition on target"] = "Resume partition on the source system",
    };

    /// <inheritdoc />
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SampleRevert.RunAsync(context, name => Undo.GetValueOrDefault(name, "Undo " + name), time, cancellationToken);
    }
}

/// <summary>Reverts a LogicalPartition/PowerOn job: powers the partition off again.</summary>
public sealed class PartitionPowerOnRevertHandler(TimeProvider time) : IJobHandler
{
    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SampleSteps.RunAsync(context, ["Shut down operating system", "Power off partition"], time, cancellationToken).ConfigureAwait(false);
        context.SetResult("revertedJob", context.Reverts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        return JobOutcome.Completed();
    }
}
