using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>A validated job to store as NOT_STARTED, with the policies the claim must respect.</summary>
public sealed record NewJob
{
    /// <summary>The operation's name.</summary>
    public required string Operation { get; init; }

    /// <summary>The operation's group.</summary>
    public required string Group { get; init; }

    /// <summary>The target, or null.</summary>
    public string? Target { get; init; }

    /// <summary>The validated parameters.</summary>
    public required JsonObject Parameters { get; init; }

    /// <summary>Who submitted it.</summary>
    public string? Submitter { get; init; }

    /// <summary>A second submit with the same key returns the first job.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Not to start before this time.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>How many jobs may hold the target at once.</summary>
    public int TargetLimit { get; init; } = 1;

    /// <summary>How many jobs of the operation may run at once, or null.</summary>
    public int? OperationLimit { get; init; }

    /// <summary>When set, a busy target ends the job at once as FAILED_BEFORE_COMPLETION_RETRY with this hint.</summary>
    public int? BusyRetryAfterSeconds { get; init; }

    /// <summary>How long the job may wait for a busy target before it ends FAILED_BEFORE_COMPLETION_RETRY.</summary>
    public TimeSpan? BusyMaxWait { get; init; }

    /// <summary>The retry hint given when the wait for a busy target runs out.</summary>
    public int BusyWaitRetryAfterSeconds { get; init; } = 60;

    /// <summary>The job this one retries.</summary>
    public long? RetryOf { get; init; }

    /// <summary>The schedule that makes this job.</summary>
    public long? ScheduleId { get; init; }

    /// <summary>The ended job this one reruns (its resolution names this one).</summary>
    public long? RerunOf { get; init; }

    /// <summary>The ended job whose tasks that did not end OK this one runs.</summary>
    public long? Resumes { get; init; }

    /// <summary>The ended job whose OK tasks this one undoes.</summary>
    public long? Reverts { get; init; }

    /// <summary>Higher starts first among the jobs that may start.</summary>
    public int Priority { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the submit span, stored so that the run continues its trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// The key that holds the target: <c>Group/Target</c>, or null; set otherwise, it holds something else the same
    /// way (a schedule's runs that must not overlap hold <c>schedule/ID</c>).
    /// </summary>
    public string? TargetKey
    {
        get => _targetKey ?? (Target is null ? null : $"{Group}/{Target}");
        init => _targetKey = value;
    }

    private readonly string? _targetKey;

    /// <summary>The record of this job as a store has just inserted it, under <paramref name="jobId"/>, at its first version.</summary>
    public JobRecord Stored(long jobId, DateTimeOffset submitted) => new()
    {
        JobId = jobId,
        Status = JobStatus.NotStarted,
        Operation = Operation,
        Group = Group,
        Target = Target,
        Parameters = Parameters,
        Submitter = Submitter,
        IdempotencyKey = IdempotencyKey,
        TimeSubmitted = submitted,
        NotBefore = NotBefore,
        RetryOf = RetryOf,
        TraceParent = TraceParent,
        Priority = Priority,
        RerunOf = RerunOf,
        ScheduleId = ScheduleId,
        Resumes = Resumes,
        Reverts = Reverts,
        Version = 1,
    };
}
