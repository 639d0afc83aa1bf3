using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>
/// The rules of a job's end that the engine and every store share: the reasons recorded for the ends a
/// store makes itself (a cancel before start, a busy target, a recovered node), the HMC results
/// convention, and the status a finish must come from. The engine's own ends are built by its
/// outcome mapper on these rules.
/// </summary>
public static class JobEnds
{
    /// <summary>The reason of a job whose node stopped or died while it ran.</summary>
    public const string NodeStopped = "interrupted: node stopped";

    /// <summary>The reason of a job whose node started again under its name while it ran (a cluster's join).</summary>
    public const string NodeRestarted = "interrupted: node restarted";

    /// <summary>The reason of a job whose node the cluster gave up for lost.</summary>
    public const string NodeLost = "interrupted: node lost (no heartbeat within its lease)";

    /// <summary>The reason of a job canceled while it was NOT_STARTED.</summary>
    public const string CanceledBeforeStart = "canceled before start";

    /// <summary>The reason of a job ended at claim because its target is busy.</summary>
    public static string TargetBusy(string targetKey, long? holder, int retryAfterSeconds) =>
        $"target '{targetKey}' is busy{(holder is { } id ? $" (held by job {id})" : string.Empty)}; try again in {retryAfterSeconds}s";

    /// <summary>
    /// The HMC convention: every finished job has a <c>returnCode</c> (0 for COMPLETED_OK, 1 otherwise), and a
    /// job that did not end OK has its error text in <c>result</c>. What the handler set itself is kept.
    /// </summary>
    public static Dictionary<string, string> Results(JobStatus status, IReadOnlyDictionary<string, string> given, string? failure)
    {
        ArgumentNullException.ThrowIfNull(given);
        var results = new Dictionary<string, string>(given, StringComparer.Ordinal);
        results.TryAdd("returnCode", status == JobStatus.CompletedOk ? "0" : "1");
        if (status != JobStatus.CompletedOk && failure is not null)
        {
            results.TryAdd("result", failure);
        }

        return results;
    }

    /// <summary>The results of a job that ended without its handler: a failing return code and the reason.</summary>
    public static Dictionary<string, string> FailureResults(string reason) =>
        Results(JobStatus.FailedBeforeCompletion, new Dictionary<string, string>(), reason);

    /// <summary>
    /// The status a finish must find the job in: a claimed job that never began ends only as FAILED_TO_START,
    /// every other end is of a RUNNING job. Throws when the finish's status is not terminal.
    /// </summary>
    public static JobStatus From(JobFinish finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        if (!finish.Status.IsTerminal())
        {
            throw new ArgumentException($"{finish.Status.ToWire()} is not a terminal status.", nameof(finish));
        }

        return finish.Status == JobStatus.FailedToStart ? JobStatus.NotStarted : JobStatus.Running;
    }

    /// <summary>Whether the transition table allows the finish at all (a store refuses it unapplied when not).</summary>
    public static bool IsAllowed(JobFinish finish) => JobStatuses.CanTransition(From(finish), finish.Status);
}
