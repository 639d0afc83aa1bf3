using Jobwright.Handlers;

namespace Jobwright.Operations;

/// <summary>A named kind of work: its group, parameters, policies and handler.</summary>
public sealed record OperationDefinition
{
    /// <summary>The operation's name, e.g. <c>PowerOn</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The operation's group, e.g. <c>LogicalPartition</c>.</summary>
    public required string Group { get; init; }

    /// <summary>What the operation does.</summary>
    public string? Description { get; init; }

    /// <summary>The declared parameters.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];

    /// <summary>A submit without a target is refused.</summary>
    public bool TargetRequired { get; init; }

    /// <summary>How many jobs may run on one target at once.</summary>
    public int PerTargetConcurrency { get; init; } = 1;

    /// <summary>How many jobs of this operation may run at once, or null for no limit.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>What a job does while its target is busy.</summary>
    public TargetBusyPolicy WhenTargetBusy { get; init; } = TargetBusyPolicy.Default;

    /// <summary>A running job is stopped and ends FAILED_BEFORE_COMPLETION after this long; null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Builds the target from the parameters when a submit names none, e.g. <c>{path}</c>.</summary>
    public string? TargetTemplate { get; init; }

    /// <summary>Automatic retry, or null for none.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>Creates the handler for one job; may throw (the job then ends FAILED_TO_START).</summary>
    public required Func<IServiceProvider, IJobHandler> CreateHandler { get; init; }

    /// <summary>
    /// Whether a COMPLETED_WITH_WARNINGS job of this operation may be completed: a linked job whose
    /// <see cref="Handlers.JobContext.RunTaskAsync(string, Func{Handlers.JobTask, CancellationToken, Task}, CancellationToken)"/>
    /// skips each task that ended OK in it (recorded SKIPPED, "done by job N"). Its handler must name its tasks the same way each run.
    /// </summary>
    public bool Resumable { get; init; }

    /// <summary>
    /// Creates the handler of a revert job, or null when the operation cannot be reverted: it undoes
    /// <see cref="Handlers.JobContext.TasksToRevert"/> (the reverted job's OK tasks, last first).
    /// </summary>
    public Func<IServiceProvider, IJobHandler>? CreateRevertHandler { get; init; }

    /// <summary>
    /// A Redfish action path under <c>/redfish/v1/</c> that starts a job of this operation, e.g.
    /// <c>Systems/{target}/Actions/ComputerSystem.Reset</c>: a POST there answers <c>202</c> with a task monitor;
    /// <c>{target}</c> is the job's target and the body's properties are its parameters. Null for none
    /// (every operation can still be run at <c>/redfish/v1/Oem/Jobwright/Operations/{Group}/{Name}/Actions/Run</c>).
    /// </summary>
    public string? RedfishAction { get; init; }

    /// <summary><c>Group/Name</c>.</summary>
    public string QualifiedName => $"{Group}/{Name}";
}
