using System.Text.Json.Nodes;
using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// What an operator does about an ended job (SPEC §5.7): complete it (a linked job runs the tasks that did not
/// end OK), revert it (a linked job undoes the OK tasks, last first), rerun it as a linked copy, or acknowledge
/// it by hand. The ended job's status never changes; its record gains the resolution, once.
/// </summary>
public sealed partial class JobService
{
    private const int MaxNoteLength = 1000;

    /// <summary>
    /// Submits a fresh copy of the ended job <paramref name="jobId"/> (its parameters, with
    /// <paramref name="parameters"/> changed where given; <paramref name="notBefore"/>), linked both ways
    /// (<c>rerunOf</c> / <c>rerunBy</c>). Returns the new job.
    /// </summary>
    public async Task<JobRecord> RerunAsync(long jobId, JsonObject? parameters, DateTimeOffset? notBefore, string? note, string? actor, CancellationToken cancellationToken)
    {
        var job = await EndedUnresolvedAsync(jobId, "rerun", cancellationToken).ConfigureAwait(false);
        return await SubmitLinkedAsync(job, ServedOperation(job, "rerun"), JobResolutions.Rerun, parameters, notBefore, note, actor, copy => copy with { RerunOf = jobId }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes the COMPLETED_WITH_WARNINGS job <paramref name="jobId"/> of a resumable operation: a linked job
    /// (<c>resumes</c> / <c>resumedBy</c>) with its parameters (<paramref name="parameters"/> changed) that runs only
    /// the tasks that did not end OK. Returns the new job.
    /// </summary>
    public async Task<JobRecord> CompleteAsync(long jobId, JsonObject? parameters, string? note, string? actor, CancellationToken cancellationToken)
    {
        var job = await EndedUnresolvedAsync(jobId, "completed", cancellationToken).ConfigureAwait(false);
        var operation = ServedOperation(job, "completed");
        if (job.Status != JobStatus.CompletedWithWarnings)
        {
            throw new JobRequestException(
                JobProblemKind.Conflict,
                $"Job {jobId} is {job.Status.ToWire()}; only a {JobStatus.CompletedWithWarnings.ToWire()} job can be completed (rerun or revert the others).",
                [new("jobId", "Rerun the job in its entirety, or revert what it did.")]);
        }

        if (!operation.Resumable)
        {
            throw new JobRequestException(
                JobProblemKind.Conflict,
                $"Operation '{operation.QualifiedName}' does not support completing a partial job: its handler cannot skip the tasks done before.",
                [new("jobId", "Rerun the job in its entirety, revert it, or acknowledge it by hand.")]);
        }

        return await SubmitLinkedAsync(job, operation, JobResolutions.Completed, parameters, null, note, actor, copy => copy with { Resumes = jobId }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reverts the ended job <paramref name="jobId"/>: a linked job (<c>reverts</c> / <c>revertedBy</c>) whose revert
    /// handler undoes, last first, the tasks that ended OK. Returns the new job.
    /// </summary>
    public async Task<JobRecord> RevertAsync(long jobId, string? note, string? actor, CancellationToken cancellationToken)
    {
        var job = await EndedUnresolvedAsync(jobId, "reverted", cancellationToken).ConfigureAwait(false);
        var operation = ServedOperation(job, "reverted");
        if (operation.CreateRevertHandler is null)
        {
            throw new JobRequestException(
                JobProblemKind.Conflict,
                $"Operation '{operation.QualifiedName}' declares no revert: nothing here knows how to undo its tasks.",
                [new("jobId", "Undo the job's tasks by hand and acknowledge it.")]);
        }

        if (!job.Progress.CompletedTasks.Any(t => t.Status == JobTaskStatus.Ok))
        {
            throw new JobRequestException(JobProblemKind.Conflict, $"Job {jobId} has no task that ended OK: there is nothing to revert.", [new("jobId", "Acknowledge it instead.")]);
        }

        return await SubmitLinkedAsync(job, operation, JobResolutions.Reverted, null, null, note, actor, copy => copy with { Reverts = jobId }, cancellationToken).ConfigureAwait(false);
    }

    private OperationDefinition ServedOperation(JobRecord job, string action) =>
        _operations.Find(job.Group, job.Operation)
        ?? throw new JobRequestException(
            JobProblemKind.Conflict,
            $"Job {job.JobId}'s operation '{job.Group}/{job.Operation}' is not served by this node; it cannot be {action} here.",
            [new("jobId", "Ask a node that serves the operation.")]);

    // Stores the linked job (the original's parameters, with the given ones changed and validated again) with the resolution, atomically.
    private async Task<JobRecord> SubmitLinkedAsync(
        JobRecord job, OperationDefinition operation, string how, JsonObject? parameters, DateTimeOffset? notBefore, string? note, string? actor,
        Func<NewJob, NewJob> link, CancellationToken cancellationToken)
    {
        CheckNote(note);
        var jobId = job.JobId;
        var merged = _protector.Unprotect(job.Parameters).DeepClone().AsObject();
        foreach (var (name, value) in parameters ?? [])
        {
            merged[name] = value?.DeepClone();
        }

        var (validated, errors) = ParameterValidator.Validate(operation, merged);
        if (errors.Count > 0)
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, "The rerun's parameters are invalid: " + string.Join(" ", errors.Select(e => e.Message)), errors);
        }

        using var span = JobTracing.StartSubmit(_metrics, operation.QualifiedName, job.Target);
        var copy = link(NewJobs.From(operation, job.Target, _protector.Protect(operation, validated), actor, notBefore: notBefore)
            with { TraceParent = JobTracing.ContextToStore(_metrics, span), Priority = job.Priority });
        var result = await _store.ResolveAsync(jobId, new JobResolution(how, null, actor, _time.GetUtcNow(), note), copy, cancellationToken).ConfigureAwait(false);
        if (!result.Applied)
        {
            throw await RefusedAsync(jobId, how, cancellationToken).ConfigureAwait(false);
        }

        span?.SetTag(SpanAttributes.JobId, result.Linked!.JobId);
        _metrics.Submitted(operation.QualifiedName);
        _dispatcher.Wake();
        return Shown(await _reasons.ExplainAsync(result.Linked!, cancellationToken, countQueue: false).ConfigureAwait(false), operation);
    }

    /// <summary>Marks the ended job <paramref name="jobId"/> resolved by hand, with <paramref name="note"/>; returns it.</summary>
    public async Task<JobRecord> AcknowledgeAsync(long jobId, string? note, string? actor, CancellationToken cancellationToken)
    {
        await EndedUnresolvedAsync(jobId, "acknowledged", cancellationToken).ConfigureAwait(false);
        CheckNote(note);
        var result = await _store.ResolveAsync(jobId, new JobResolution(JobResolutions.Manual, null, actor, _time.GetUtcNow(), note), null, cancellationToken).ConfigureAwait(false);
        if (!result.Applied)
        {
            throw await RefusedAsync(jobId, "acknowledged", cancellationToken).ConfigureAwait(false);
        }

        return (await GetAsync(jobId, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<JobRecord> EndedUnresolvedAsync(long jobId, string action, CancellationToken cancellationToken)
    {
        var job = await _queries.GetAsync(jobId, includeHistory: false, cancellationToken).ConfigureAwait(false) ?? throw NotFound(jobId);
        if (!job.Status.IsTerminal())
        {
            throw new JobRequestException(
                JobProblemKind.Conflict,
                $"Job {jobId} is {job.Status.ToWire()}; only a job that has ended can be {action}.",
                [new("jobId", "Wait for the job to end (or cancel it) first.")]);
        }

        return job.Resolution is { } resolution ? throw AlreadyResolved(jobId, resolution) : job;
    }

    // The store refused: the job was deleted, or resolved by someone else, since it was read.
    private async Task<JobRequestException> RefusedAsync(long jobId, string action, CancellationToken cancellationToken)
    {
        var job = await _queries.GetAsync(jobId, includeHistory: false, cancellationToken).ConfigureAwait(false);
        return job?.Resolution is { } resolution
            ? AlreadyResolved(jobId, resolution)
            : job is null ? NotFound(jobId) : new JobRequestException(JobProblemKind.Conflict, $"Job {jobId} could not be {action}.", [new("jobId", "Read the job and try again.")]);
    }

    private static JobRequestException AlreadyResolved(long jobId, JobResolution resolution)
    {
        var how = resolution switch
        {
            { How: JobResolutions.Rerun, JobId: { } rerun } => $"rerun as job {rerun}",
            { How: JobResolutions.Completed, JobId: { } completer } => $"completed by job {completer}",
            { How: JobResolutions.Reverted, JobId: { } reverter } => $"reverted by job {reverter}",
            _ => "acknowledged by hand",
        };
        return new JobRequestException(
            JobProblemKind.Conflict,
            $"Job {jobId} was already resolved: {how}{(resolution.By is { } by ? " by " + by : string.Empty)}; a job is resolved once.",
            [new("jobId", resolution.JobId is { } next ? $"Act on job {next} instead." : "Nothing is left to resolve on this job.")]);
    }

    private static void CheckNote(string? note)
    {
        if (note is { Length: > MaxNoteLength })
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, $"The note is longer than {MaxNoteLength} characters.", [new("note", $"Keep the note to {MaxNoteLength} characters.")]);
        }

        if (note is not null && note.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, "The note contains control characters.", [new("note", "Use printable text (line breaks are fine).")]);
        }
    }
}
