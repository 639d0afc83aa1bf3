using System.Globalization;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>The one place that turns how a handler ended into a status (SPEC §2).</summary>
internal static class OutcomeMapper
{
    public const string InterruptedMessage = "interrupted: node stopped";

    public static JobFinish Map(HandlerEnding ending, JobSnapshot snapshot, bool cancelRequested)
    {
        var finish = ending switch
        {
            HandlerEnding.Returned { Outcome: var outcome } => FromOutcome(outcome, snapshot),
            HandlerEnding.Stopped { Cause: StopCause.Cancel } => new JobFinish
            {
                Status = JobStatus.CanceledWhileRunning, Snapshot = snapshot, Reason = "stopped by cancel",
            },
            HandlerEnding.Stopped { Cause: StopCause.Timeout, Timeout: var timeout } => Failed(
                snapshot, $"timed out after {Format(timeout)}", exception: null),
            HandlerEnding.Stopped => Failed(snapshot, InterruptedMessage, exception: null),
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

    // The HMC convention: every finished job has a returnCode, and a job that did not end OK has its error text in `result`.
    private static JobFinish WithDefaultResults(JobFinish finish)
    {
        var results = new Dictionary<string, string>(finish.Snapshot.Results, StringComparer.Ordinal);
        results.TryAdd("returnCode", finish.Status == JobStatus.CompletedOk ? "0" : "1");
        if (finish.Status != JobStatus.CompletedOk && (finish.Error?.Message ?? finish.Reason) is { } text)
        {
            results.TryAdd("result", text);
        }

        return finish with
        {
            Snapshot = finish.Snapshot with { Results = results, Progress = finish.Snapshot.Progress with { CurrentTask = null, Fraction = 1.0 } },
        };
    }

    private static string Format(TimeSpan? timeout) =>
        timeout is { } t ? t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s" : $"{t.TotalMilliseconds:0}ms" : "its timeout";
}
