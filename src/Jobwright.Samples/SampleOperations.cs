using System.Text.Json.Nodes;
using Jobwright.Hosting;
using Jobwright.Operations;
using Jobwright.Status;

namespace Jobwright.Samples;

/// <summary>Registers the sample operations (<c>jobwright serve --samples</c>).</summary>
public static class SampleOperations
{
    /// <summary>Sample/Simulate, Sample/BrokenHandler and the HMC-flavoured partition and VIOS operations.</summary>
    public static JobwrightBuilder AddSampleOperations(this JobwrightBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var duration = new ParameterDefinition("durationMs", ParameterType.Integer)
        {
            Default = JsonValue.Create(3000L), Minimum = 0, Maximum = 3_600_000, Description = "How long the simulated work takes, in milliseconds.",
        };

        builder.AddOperation<SimulateHandler>("Simulate", "Sample", op => op with
        {
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

        builder.AddOperation<BrokenHandler>("BrokenHandler", "Sample", op => op with
        {
            Description = $"Its handler cannot be constructed: every job ends {JobStatus.FailedToStart.ToWire()}.",
        });

        builder.AddOperation<PartitionPowerOnHandler>("PowerOn", "LogicalPartition", op => op with
        {
            Description = "Activates a logical partition.",
            TargetRequired = true,
            Parameters =
            [
                new("bootmode", ParameterType.String) { Default = JsonValue.Create("norm"), Enum = ["norm", "sms", "of", "dd", "ds"], Description = "The boot mode." },
                new("force", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Activate even if the partition is in an unexpected state." },
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
                    Default = JsonValue.Create("shutdown"), Enum = ["shutdown", "osshutdown", "dumprestart"], Description = "shutdown (the partition), osshutdown (the operating system first) or dumprestart.",
                },
                new("immediate", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Stop at once instead of a delayed shutdown." },
                new("restart", ParameterType.Boolean) { Default = JsonValue.Create(false), Description = "Restart the partition after it stops." },
                duration,
            ],
            Timeout = TimeSpan.FromMinutes(30),
        });

        builder.AddOperation<PartitionMigrateHandler>("Migrate", "LogicalPartition", op => op with
        {
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
            Parameters = [new("clusterName", ParameterType.String) { Default = JsonValue.Create("cluster"), Description = "The cluster's name." }, duration],
        });

        builder.AddOperation<CliRunnerHandler>("CLIRunner", "ManagementConsole", op => op with
        {
            Description = "Runs an HMC command (simulated: lshmc and lssyscfg -r sys answer; other commands fail).",
            Parameters = [new("cmd", ParameterType.String) { Required = true, Description = "The command line." }],
        });

        return builder;
    }
}
