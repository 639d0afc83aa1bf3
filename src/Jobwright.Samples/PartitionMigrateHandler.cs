using System.Globalization;
using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>LogicalPartition/Migrate: a live partition migration that sometimes partly fails (COMPLETED_WITH_WARNINGS).</summary>
public sealed class PartitionMigrateHandler(TimeProvider time) : IJobHandler
{
    private const string StorageStep = "Move storage mappings";

    private static readonly string[] Tasks =
        ["Validate migration", "Create partition on target system", StorageStep, "Transfer memory pages", "Resume partition on target"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var targetSystem = context.Parameters.GetString("targetSystem")!;
        var failureRate = context.Parameters.Get("failureRate", 0.3);
        var storageFails = Random.Shared.NextDouble() < failureRate;
        var step = SampleSteps.StepDuration(context, Tasks.Length);
        context.SetExpectedTaskCount(Tasks.Length);
        foreach (var name in Tasks)
        {
            await context.RunTaskAsync(name, async (task, ct) =>
            {
                await SampleWork.StepAsync(task, step, time, ct).ConfigureAwait(false);
                if (name == StorageStep && storageFails)
                {
                    task.Fail($"vscsi{Random.Shared.Next(1, 9).ToString(CultureInfo.InvariantCulture)} busy on {targetSystem}; mapping left on the source system");
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        if (storageFails)
        {
            context.Warn("Storage mappings must be moved by hand, or the migration reverted.", "MANUAL_INTERVENTION");
        }

        context.SetResult("targetSystem", targetSystem);
        return JobOutcome.Completed();
    }
}
