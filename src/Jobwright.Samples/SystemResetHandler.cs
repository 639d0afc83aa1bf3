using Jobwright.Handlers;

namespace Jobwright.Samples;

/// <summary>
/// ComputerSystem/Reset: Redfish's <c>ComputerSystem.Reset</c> on a sample system, as a job. Its <c>PowerState</c> result
/// is the system's power state afterwards (what <c>GET /redfish/v1/Systems/{id}</c> shows).
/// </summary>
public sealed class SystemResetHandler(TimeProvider time) : IJobHandler
{
    /// <summary>Redfish's reset types this sample takes.</summary>
    public static readonly string[] ResetTypes = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart"];

    /// <inheritdoc />
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var resetType = context.Parameters.GetString("ResetType") ?? "On";
        string[] tasks = resetType switch
        {
            "On" => ["Check the system's power", "Power on"],
            "ForceOff" => ["Check the system's power", "Power off at once"],
            "GracefulShutdown" => ["Check the system's power", "Shut down the operating system", "Power off"],
            "GracefulRestart" => ["Check the system's power", "Shut down the operating system", "Power on again"],
            _ => ["Check the system's power", "Power off at once", "Power on again"],
        };
        await SampleSteps.RunAsync(context, tasks, time, cancellationToken).ConfigureAwait(false);
        context.SetResult("ResetType", resetType);
        context.SetResult("PowerState", resetType is "ForceOff" or "GracefulShutdown" ? "Off" : "On");
        return JobOutcome.Completed();
    }
}
