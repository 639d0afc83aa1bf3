using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>LogicalPartition/PowerOn: activates a partition through the steps an HMC shows.</summary>
public sealed class PartitionPowerOnHandler(TimeProvider time) : IJobHandler
{
    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var operationType = parameters.GetString("OperationType") ?? "activate";
        var bootMode = parameters.GetString("bootmode") ?? "norm";
        string[] tasks = operationType switch
        {
            "netboot" =>
            [
                "Validate partition state",
                $"Configure network install: partition {parameters.GetString("IPAddress") ?? "(none)"} via gateway {parameters.GetString("Gateway") ?? "(none)"}",
                $"Load IBM i image from {parameters.GetString("ServerIPAddress") ?? "(none)"}:{parameters.GetString("IBMiImageServerDirectory") ?? "/"}",
                "Boot operating system",
            ],
            "changeKeylock" => ["Validate partition state", $"Set the key lock to {parameters.GetString("keylock") ?? "norm"}"],
            _ =>
            [
                "Validate partition state",
                "Allocate processors and memory",
                $"Start partition firmware ({bootMode}{(parameters.GetString("iIPLsource") is { } source ? $", IPL source {source}" : string.Empty)})",
                bootMode == "sms" ? "Stop at System Management Services" : "Boot operating system",
            ],
        };

        await SampleSteps.RunAsync(context, tasks, time, cancellationToken).ConfigureAwait(false);
        context.SetResult("OperationType", operationType);
        context.SetResult("bootmode", bootMode);
        foreach (var echoed in new[] { "keylock", "bootstring", "LogicalPartitionProfile", "iIPLsource" })
        {
            if (parameters.GetString(echoed) is { } value)
            {
                context.SetResult(echoed, value);
            }
        }

        context.SetResult("PartitionState", operationType == "changeKeylock" ? "not activated" : bootMode == "sms" ? "open firmware" : "running");
        return JobOutcome.Completed();
    }
}
