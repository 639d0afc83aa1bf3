using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Operations;
using Jobwright.Status;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.Samples;

/// <summary>Registers the sample operations (<c>jobwright serve --samples</c>).</summary>
public static class SampleOperations
{
    /// <summary>The ids of the sample Redfish systems (<c>/redfish/v1/Systems/{id}</c>) that ComputerSystem/Reset acts on.</summary>
    public static IReadOnlyList<string> RedfishSystems { get; } = ["1", "2", "3"];

    /// <summary>Sample/Simulate, Sample/BrokenHandler, ComputerSystem/Reset and the HMC-flavoured partition and VIOS operations.</summary>
    public static JobwrightBuilder AddSampleOperations(this JobwrightBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var duration = new ParameterDefinition("durationMs", ParameterType.Integer)
        {
            Default = JsonValue.Create(3000L), Minimum = 0, Maximum = 3_600_000, Description = "How long the simulated work takes, in milliseconds.",
        };

        builder.AddOperation<SimulateHandler>("Simulate", "Sample", op => op with
        {
            Resumable = true,
            CreateRevertHandler = services => ActivatorUtilities.CreateInstance<SimulateRevertHandler>(services),
            Description = "Runs `tasks` tasks over `durationMs`; fails the tasks in `failTasks`; ends as `outcome` says. Produces any status on demand.",
            Parameters =
            [
                duration with { Default = JsonValue.Create(1000L) },
                new("tasks", ParameterType.Integer) { Default = JsonValue.Create(3L), Minimum = 0, Maximum = 100, Description = "How many tasks to run." },
                new("failTasks", ParameterType.String)
                {
                    Default = JsonValue.Create(string.Empty), Pattern = @"^(\d{1,3}(,\d{1,3})*)?$", Description = "Comma-separated 1-based numbers of the tasks that fail, e.g. \"2,3\".",
                },
                new("outcome", ParameterType.String)
                {
                    Default = JsonValue.Create("ok"), Enum = ["ok", "precondition", "rerun", "throw", "busy"], Description = "How the handler ends after its tasks.",
                },
                new("ignoreCancel", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Keep running when canceled." },
            ],
            PerTargetConcurrency = 1,
        });

        builder.AddOperation<SystemResetHandler>("Reset", "ComputerSystem", op => op with
        {
            Description = "Redfish's ComputerSystem.Reset on a sample system (/redfish/v1/Systems/{id}): changes its PowerState.",
            TargetRequired = true,
            RedfishAction = "Systems/{target}/Actions/ComputerSystem.Reset",
            Parameters =
            [
                new("ResetType", ParameterType.String) { Required = true, Enum = SystemResetHandler.ResetTypes, Description = "The type of reset." },
                duration with { Default = JsonValue.Create(1000L) },
            ],
        });

        builder.AddOperation<BrokenHandler>("BrokenHandler", "Sample", op => op with
        {
            Description = $"Its handler cannot be constructed: every job ends {JobStatus.FailedToStart.ToWire()}.",
        });

        builder.AddOperation<PartitionPowerOnHandler>("PowerOn", "LogicalPartition", op => op with
        {
            Resumable = true,
            CreateRevertHandler = services => ActivatorUtilities.CreateInstance<PartitionPowerOnRevertHandler>(services),
            Description = "Activates a logical partition.",
            TargetRequired = true,
            Parameters =
            [
                new("bootmode", ParameterType.String) { Enum = ["norm", "sms", "dd", "ds", "of", "pbl"], Description = "The boot mode: norm(al), sms (System Management Services), dd / ds (diagnostic with default / stored boot list), of (Open Firmware prompt), pbl (power-on with the boot list)." },
                new("keylock", ParameterType.String) { Enum = ["manual", "norm", "unknown"], Description = "The key lock position." },
                new("bootstring", ParameterType.String) { Description = "The boot string passed to the firmware." },
                new("force", ParameterType.Boolean) { Description = "Activate even if the partition is in an unexpected state." },
                new("novsi", ParameterType.Boolean) { Description = "Activate without the virtual station interfaces." },
                new("LogicalPartitionProfile", ParameterType.String) { Description = "The profile to activate with (its UUID or link)." },
                new("iIPLsource", ParameterType.String) { Enum = ["a", "b", "c", "d"], Description = "IBM i: the IPL source." },
                new("OperationType", ParameterType.String) { Enum = ["activate", "netboot", "changeKeylock"], Description = "activate (the default), netboot (IBM i network install) or changeKeylock." },
                new("IPAddress", ParameterType.String) { Description = "IBM i netboot: the partition's IP address." },
                new("ServerIPAddress", ParameterType.String) { Description = "IBM i netboot: the image server's IP address." },
                new("Gateway", ParameterType.String) { Description = "IBM i netboot: the gateway." },
                new("IBMiImageServerDirectory", ParameterType.String) { Description = "IBM i netboot: the directory of the image on the server." },
                duration,
            ],
            Timeout = TimeSpan.FromMinutes(30),
        });

        builder.AddOperation<PartitionPowerOffHandler>("PowerOff", "LogicalPartition", op => op with
        {
            Description = "Shuts down a logical partition, as the HMC's PowerOff job.",
            TargetRequired = true,
            Parameters =
            [
                new("operation", ParameterType.String)
                {
                    Default = JsonValue.Create("shutdown"), Enum = ["shutdown", "osshutdown", "dumprestart", "retrydump"],
                    Description = "shutdown (the partition), osshutdown (the operating system first), dumprestart (dump, then restart) or retrydump (retry a dump that failed).",
                },
                new("immediate", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Stop at once instead of a delayed shutdown." },
                new("restart", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Restart the partition after it stops." },
                duration,
            ],
            Timeout = TimeSpan.FromMinutes(30),
        });

        builder.AddOperation<PartitionMigrateHandler>("Migrate", "LogicalPartition", op => op with
        {
            Resumable = true,
            CreateRevertHandler = services => ActivatorUtilities.CreateInstance<PartitionMigrateRevertHandler>(services),
            Description = $"Live-migrates a partition to another managed system; sometimes the storage mappings fail to move ({JobStatus.CompletedWithWarnings.ToWire()}).",
            TargetRequired = true,
            Parameters =
            [
                new("targetSystem", ParameterType.String) { Required = true, Pattern = @"^[\w.-]{1,64}$", Description = "The managed system to move to." },
                new("failureRate", ParameterType.Number) { Default = JsonValue.Create(0.3), Minimum = 0, Maximum = 1, Description = "How often the storage step fails (0 to 1)." },
                duration with { Default = JsonValue.Create(5000L) },
            ],
            Timeout = TimeSpan.FromHours(2),
        });

        builder.AddOperation<ViosPowerOnHandler>("PowerOn", "VirtualIOServer", op => op with
        {
            Description = $"Activates a virtual I/O server; it is sometimes busy ({JobStatus.FailedBeforeCompletionRetry.ToWire()}).",
            TargetRequired = true,
            Parameters =
            [
                new("busyRate", ParameterType.Number) { Default = JsonValue.Create(0.4), Minimum = 0, Maximum = 1, Description = "How often the VIOS is busy (0 to 1)." },
                duration,
            ],
            WhenTargetBusy = TargetBusyPolicy.RetryLater(TimeSpan.FromSeconds(30)),
        });

        builder.AddOperation<ClusterCreateHandler>("Create", "Cluster", op => op with
        {
            Description = "Creates a shared storage pool cluster (simulated).",
            Parameters =
            [
                new("clusterXml", ParameterType.String) { Description = "The Cluster object (its ClusterName, repository disk and nodes), as the HMC's Cluster/Create takes it." },
                new("sspXml", ParameterType.String) { Description = "The SharedStoragePool object (its StoragePoolName and disks)." },
                new("clusterName", ParameterType.String) { Description = "The cluster's name, when no clusterXml is given." },
                duration,
            ],
        });

        builder.AddOperation<CliRunnerHandler>("CLIRunner", "ManagementConsole", op => op with
        {
            Description = "Runs an HMC command (simulated: lshmc and lssyscfg -r sys answer; other commands fail).",
            Parameters =
            [
                new("cmd", ParameterType.String) { Required = true, Description = "The command line." },
                new("acknowledgeThisAPIMayGoAwayInTheFuture", ParameterType.Boolean) { Description = "Sent by the HMC's clients, as the HMC asks; accepted and ignored." },
            ],
        });

        return builder;
    }
}
