using System.Globalization;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// The one place that decides every terminal status the engine writes (SPEC §2): how a handler ended
/// (returned, threw, canceled, timed out, interrupted by a stop or a lost node), a job that could not
/// start, and a job the engine itself failed. A new way to end a job is a new case here; the ends a
/// store makes itself (a cancel before start, a busy target at claim, recovery) take their reasons
/// and results from <see cref="JobEnds"/>.
/// </summary>
internal static class OutcomeMapper
{
    public const string InterruptedMessage = JobEnds.NodeStopped;

    public static JobFinish Map(HandlerEnding ending, JobSnapshot snapshot, bool cancelRequested)
    {
        var finish = ending switch
        {
            HandlerEnding.Returned { Outcome: var outcome } => FromOutcome(outcome, snapshot),
            HandlerEnding.Stopped { Cause: StopCause.Cancel } => new JobFinish
            {
                Status = JobStatus.CanceledWhileRunning, Snapshot = snapshot, Reason = StopReason(StopCause.Cancel, null),
            },
            HandlerEnding.Stopped { Cause: var cause, Timeout: var timeout } => Failed(snapshot, StopReason(cause, timeout), exception: null),
            HandlerEnding.Threw { Exception: var exception } => Failed(snapshot, exception.Message, exception),
            _ => throw new ArgumentOutOfRangeException(nameof(ending), ending, "Unknown handler ending."),
        };

        if (cancelRequested && ending is HandlerEnding.Returned)
        {
            finish = WithMessage(finish, new JobMessage(
                MessageSeverity.Info, "CANCEL_TOO_LATE", "A cancel was requested, but the operation finished first; the job keeps its own outcome."));
        }

        return WithDefaultResults(finish);
    }

    /// <summary>A claimed job that never began: the operation, its parameters or its handler could not be had.</summary>
    public static JobFinish FailedToStart(string reason) => new()
    {
        Status = JobStatus.FailedToStart,
        Snapshot = new JobSnapshot(JobProgress.Empty, JobEnds.FailureResults(reason), []),
        Error = new JobError(reason),
        Reason = reason,
    };

    /// <summary>A job the engine itself failed after it began (an internal error, not the handler's).</summary>
    public static JobFinish FailedWhileRunning(JobRecord current, string reason)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new JobFinish
        {
            Status = JobStatus.FailedBeforeCompletion,
            Snapshot = new JobSnapshot(current.Progress, JobEnds.FailureResults(reason), current.Messages),
            Error = new JobError(reason),
            Reason = reason,
        };
    }

    /// <summary>The status of a handler that returned <see cref="JobOutcome.Completed"/>, from its tasks.</summary>
    public static JobStatus StatusFromTasks(IReadOnlyList<TaskRecord> tasks)
    {
        var succeeded = tasks.Count(t => t.Status is JobTaskStatus.Ok or JobTaskStatus.Warning);
        var failed = tasks.Count(t => t.Status is JobTaskStatus.Failed);
        return (succeeded, failed) switch
        {
            (_, 0) => JobStatus.CompletedOk,
            (0, _) => JobStatus.CompletedWithError,
            _ => JobStatus.CompletedWithWarnings,
        };
    }

    private static JobFinish FromOutcome(JobOutcome outcome, JobSnapshot snapshot)
    {
        switch (outcome.Kind)
        {
            case JobOutcomeKind.Completed:
                var status = StatusFromTasks(snapshot.Progress.CompletedTasks);
                var failedTasks = snapshot.Progress.CompletedTasks.Where(t => t.Status == JobTaskStatus.Failed).Select(t => t.Name).ToArray();
                return new JobFinish
                {
                    Status = status,
                    Snapshot = snapshot,
                    Reason = failedTasks.Length == 0 ? null : "failed tasks: " + string.Join(", ", failedTasks),
                };
            case JobOutcomeKind.PreconditionFailed:
                return WithMessage(
                    new JobFinish { Status = JobStatus.CompletedWithError, Snapshot = snapshot, Reason = "precondition not met: " + outcome.Message },
                    new JobMessage(MessageSeverity.Error, "PRECONDITION_FAILED", outcome.Message!));
            case JobOutcomeKind.RerunNeeded:
                return WithMessage(
                    new JobFinish { Status = JobStatus.CompletedWithError, Snapshot = snapshot, Reason = "rerun needed: " + outcome.Message },
                    new JobMessage(MessageSeverity.Error, "RERUN_NEEDED", outcome.Message!));
            case JobOutcomeKind.TargetBusy:
                return WithMessage(
                    new JobFinish
                    {
                        Status = JobStatus.FailedBeforeCompletionRetry,
                        Snapshot = snapshot,
                        RetryAfterSeconds = (int)Math.Ceiling(outcome.RetryAfter!.Value.TotalSeconds),
                        Reason = "target busy: " + outcome.Message,
                    },
                    new JobMessage(MessageSeverity.Error, "TARGET_BUSY", outcome.Message!));
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "Unknown outcome.");
        }
    }

    private static JobFinish Failed(JobSnapshot snapshot, string message, Exception? exception) => new()
    {
        Status = JobStatus.FailedBeforeCompletion,
        Snapshot = snapshot with { Progress = snapshot.Progress with { CurrentTask = null } },
        Error = new JobError(message, exception?.GetType().FullName, exception?.StackTrace),
        Reason = message,
    };

    private static JobFinish WithMessage(JobFinish finish, JobMessage message) =>
        finish with { Snapshot = finish.Snapshot with { Messages = [.. finish.Snapshot.Messages, message] } };

    private static JobFinish WithDefaultResults(JobFinish finish)
    {
        var results = JobEnds.Results(finish.Status, finish.Snapshot.Results, finish.Error?.Message ?? finish.Reason);
        return finish with
        {
            Snapshot = finish.Snapshot with { Results = results, Progress = finish.Snapshot.Progress with { CurrentTask = null, Fraction = 1.0 } },
        };
    }

    /// <summary>Why a handler was stopped, in the words of its job's end (and of the task it was in).</summary>
    public static string StopReason(StopCause cause, TimeSpan? timeout) => cause switch
    {
        StopCause.Cancel => "stopped by cancel",
        StopCause.Timeout => $"timed out after {Format(timeout)}",
        _ => InterruptedMessage,
    };

    private static string Format(TimeSpan? timeout) =>
        timeout is { } t ? t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s" : $"{t.TotalMilliseconds:0}ms" : "its timeout";
}
