using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Server.Redfish;

/// <summary>
/// The one table from a job's HMC status to a Redfish Task's <c>TaskState</c> and <c>TaskStatus</c>
/// (docs/redfish.md, "Status mapping"). The exact HMC status rides beside it in <c>Oem.Jobwright.status</c>.
/// </summary>
internal static class RedfishTaskState
{
    public static (string TaskState, string TaskStatus) Of(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status switch
        {
            // Waiting only for a worker is New; held back by something (a busy target, a time, a limit, a pause) is Pending.
            JobStatus.NotStarted => (job.NotStartedReason?.Code switch
            {
                null or NotStartedReasonCodes.Queued => "New",
                NotStartedReasonCodes.Starting => "Starting",
                _ => "Pending",
            }, "OK"),
            JobStatus.Running => (job.CancelRequested ? "Cancelling" : "Running", "OK"),
            JobStatus.CompletedOk => ("Completed", "OK"),
            // Completed, but some tasks failed: someone has to look (complete, revert, rerun or acknowledge it).
            JobStatus.CompletedWithWarnings => ("Completed", "Warning"),
            // Never Interrupted: that state promises the task will resume, and a failed job never does by itself.
            JobStatus.CompletedWithError or JobStatus.FailedToStart or JobStatus.FailedBeforeCompletion => ("Exception", "Critical"),
            // The target was busy: a retry job follows (retriedBy), so it is a warning, not a failure.
            JobStatus.FailedBeforeCompletionRetry => ("Exception", "Warning"),
            JobStatus.CanceledBeforeStart or JobStatus.CanceledWhileRunning => ("Cancelled", "Warning"),
            _ => throw new ArgumentOutOfRangeException(nameof(job), job.Status, "not a job status"),
        };
    }
}
