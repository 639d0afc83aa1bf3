using System.Diagnostics;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Diagnostics;

/// <summary>
/// The spans of a job's life. The submit span's context is stored with the job (W3C <c>traceparent</c>), so
/// its claim and run continue the submitter's trace on whichever node, after whatever restart.
/// </summary>
internal static class JobTracing
{
    public static readonly ActivitySource Source = new(JobwrightDiagnostics.ActivitySourceName, NodeInfo.CurrentVersion);

    /// <summary>The submit span (messaging <c>create</c>), a child of the caller's span; a retry starts a trace of its own, linked to the job it retries.</summary>
    public static Activity? StartSubmit(JobwrightMetrics telemetry, string qualifiedOperation, string? target, string? retriesTraceParent = null)
    {
        if (!telemetry.Enabled || !Source.HasListeners())
        {
            return null;
        }

        var links = retriesTraceParent is not null && TryParse(retriesTraceParent, out var retried) ? new[] { new ActivityLink(retried) } : null;
        var previous = Activity.Current;
        if (links is not null)
        {
            // A retry is submitted while its predecessor's run ends: it is a new trace, not a part of that run.
            Activity.Current = null;
        }

        try
        {
            var activity = Source.StartActivity($"create {qualifiedOperation}", ActivityKind.Producer, default(ActivityContext), links: links);
            activity?.SetTag(SpanAttributes.MessagingSystem, "jobwright")
                .SetTag(SpanAttributes.MessagingOperationType, "create")
                .SetTag(SpanAttributes.Operation, qualifiedOperation)
                .SetTag(SpanAttributes.Target, target);
            return activity;
        }
        finally
        {
            if (links is not null)
            {
                Activity.Current = previous;
            }
        }
    }

    /// <summary>The context to store with a new job: the submit span's, else the caller's (so a trace goes on even when only ASP.NET Core is listened to).</summary>
    public static string? ContextToStore(JobwrightMetrics telemetry, Activity? submit) =>
        telemetry.Enabled && (submit ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>Records the claim of a job as a span of its trace, from the claim's start to its answer.</summary>
    public static void RecordClaim(JobwrightMetrics telemetry, JobRecord job, string node, long attempt, DateTimeOffset started, DateTimeOffset ended)
    {
        if (!telemetry.Enabled || !Source.HasListeners())
        {
            return;
        }

        using var activity = Source.StartActivity($"claim {job.Group}/{job.Operation}", ActivityKind.Internal, Parent(job), startTime: started);
        activity?.SetTag(SpanAttributes.JobId, job.JobId).SetTag(SpanAttributes.Node, node).SetTag(SpanAttributes.Attempt, attempt);
        activity?.SetEndTime(ended.UtcDateTime);
    }

    /// <summary>The run span (messaging <c>process</c>), continuing the job's stored trace.</summary>
    public static Activity? StartRun(JobwrightMetrics telemetry, JobRecord job, string node, long attempt)
    {
        if (!telemetry.Enabled || !Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity($"process {job.Group}/{job.Operation}", ActivityKind.Consumer, Parent(job));
        activity?.SetTag(SpanAttributes.MessagingSystem, "jobwright")
            .SetTag(SpanAttributes.MessagingOperationType, "process")
            .SetTag(SpanAttributes.JobId, job.JobId)
            .SetTag(SpanAttributes.Operation, $"{job.Group}/{job.Operation}")
            .SetTag(SpanAttributes.Target, job.Target)
            .SetTag(SpanAttributes.Node, node)
            .SetTag(SpanAttributes.Attempt, attempt)
            .SetTag(SpanAttributes.RetryOf, job.RetryOf);
        return activity;
    }

    /// <summary>Ends a run span with the job's final status; every status but COMPLETED_OK and COMPLETED_WITH_WARNINGS is an error.</summary>
    public static void EndRun(Activity? run, JobStatus status, string? reason)
    {
        if (run is null)
        {
            return;
        }

        run.SetTag(SpanAttributes.Status, status.ToWire());
        if (status is not (JobStatus.CompletedOk or JobStatus.CompletedWithWarnings))
        {
            run.SetStatus(ActivityStatusCode.Error, reason ?? status.ToWire());
        }

        run.Dispose();
    }

    /// <summary>A task's span, a child of the run span the handler runs under (none outside a run span: telemetry off, or nobody listening).</summary>
    public static Activity? StartTask(string name)
    {
        var activity = Activity.Current?.Source == Source ? Source.StartActivity($"task {name}") : null;
        activity?.SetTag(SpanAttributes.TaskName, name);
        return activity;
    }

    /// <summary>Ends a task's span with the task's outcome; a failed task is an error.</summary>
    public static void EndTask(Activity? task, JobTaskStatus status, string? message)
    {
        if (task is null)
        {
            return;
        }

        task.SetTag(SpanAttributes.TaskStatus, status.ToWire());
        if (status == JobTaskStatus.Failed)
        {
            task.SetStatus(ActivityStatusCode.Error, message);
        }

        task.Dispose();
    }

    private static ActivityContext Parent(JobRecord job) =>
        job.TraceParent is { } stored && TryParse(stored, out var context) ? context : default;

    private static bool TryParse(string traceParent, out ActivityContext context) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out context);
}
