using Jobwright.Diagnostics;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// What every interface (JSON, XML, CLI, dashboard, library) does with jobs: submit, read, wait,
/// list, cancel, delete. Requests it refuses throw <see cref="JobRequestException"/> and change nothing.
/// </summary>
public sealed partial class JobService
{
    private const int MaxIdempotencyKeyLength = 200;
    private const int MaxTargetLength = 256;

    private readonly IJobStore _store;
    private readonly IJobQueries _queries;
    private readonly OperationRegistry _operations;
    private readonly JobDispatcher _dispatcher;
    private readonly NotStartedReasonResolver _reasons;
    private readonly WaitingCensus _waiting;
    private readonly JobwrightMetrics _metrics;
    private readonly JobChangeFeed _changes;
    private readonly JobRecordCache? _records;
    private readonly ParameterProtector _protector;
    private readonly ScheduleFirer _firer;
    private readonly QueueGate _queue;
    private readonly TimeProvider _time;

    internal JobService(
        IJobStore store,
        IJobQueries queries,
        OperationRegistry operations,
        JobDispatcher dispatcher,
        NotStartedReasonResolver reasons,
        WaitingCensus waiting,
        JobwrightMetrics metrics,
        JobChangeFeed changes,
        ParameterProtector protector,
        ScheduleFirer firer,
        int maxQueuedJobs,
        TimeProvider time)
    {
        _protector = protector;
        _firer = firer;
        _store = store;
        _queries = queries;
        _operations = operations;
        _dispatcher = dispatcher;
        _reasons = reasons;
        _waiting = waiting;
        _metrics = metrics;
        _changes = changes;
        _records = store is IClusterStore ? null : new JobRecordCache(changes);
        _queue = new QueueGate(store, maxQueuedJobs, time);
        _time = time;
    }

    /// <summary>The operations this node serves.</summary>
    public IReadOnlyList<OperationDefinition> Operations => _operations.All;

    /// <summary>Committed job changes, for event streams.</summary>
    public JobChangeFeed Changes => _changes;

    /// <summary>This node.</summary>
    public NodeInfo Node => new(
        _dispatcher.NodeName,
        NodeInfo.CurrentVersion,
        _store.Kind,
        _dispatcher.WorkerSlots,
        _dispatcher.RunningJobs,
        Math.Max(0, _dispatcher.ActiveJobs - _dispatcher.RunningJobs),
        _dispatcher.IsTakingWork,
        _dispatcher.StartedAt)
    {
        // The same facts a cluster node's row gives, for a node on any store.
        Host = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        Operations = [.. _operations.All.Select(o => o.QualifiedName)],
    };

    /// <summary>The live nodes: the cluster's nodes on a shared store, this node alone otherwise.</summary>
    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken cancellationToken)
    {
        if (_store is not IClusterStore cluster)
        {
            return [Node];
        }

        var nodes = await cluster.ListNodesAsync(cancellationToken).ConfigureAwait(false);
        return nodes.Select(n => new NodeInfo(n.Name, n.Version, _store.Kind, n.WorkerSlots, n.JobsRunning, n.JobsClaimed, TakingWork: true, n.StartedAt)
        {
            Host = n.Host,
            ProcessId = n.ProcessId,
            Operations = n.Operations,
            LastHeartbeat = n.LastHeartbeat,
            LeaseExpires = n.LeaseExpires,
        }).ToArray();
    }

    /// <summary>Finds an operation by name, and by group when given; throws when unknown or ambiguous.</summary>
    public OperationDefinition FindOperation(string? name, string? group)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, "The operation is missing.", [new("operation", "Give the name of an operation, e.g. \"Simulate\" (GET /api/v1/operations lists them).")]);
        }

        if (group is not null)
        {
            return _operations.Find(group, name)
                ?? throw new JobRequestException(JobProblemKind.UnknownOperation, $"There is no operation '{group}/{name}'.", [new("operation", $"Unknown operation '{group}/{name}'; GET /api/v1/operations lists them.")]);
        }

        var matches = _operations.FindByName(name);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new JobRequestException(JobProblemKind.UnknownOperation, $"There is no operation '{name}'.", [new("operation", $"Unknown operation '{name}'; GET /api/v1/operations lists them.")]),
            _ => throw new JobRequestException(JobProblemKind.InvalidRequest, $"Operation '{name}' exists in several groups.", [new("group", $"Say which group: {string.Join(", ", matches.Select(m => m.Group))}.")]),
        };
    }

    /// <summary>Validates and durably stores a job; returns it once it is safe on disk.</summary>
    public async Task<SubmitResult> SubmitAsync(JobSubmission submission, string? submitter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var operation = FindOperation(submission.Operation, submission.Group);
        var (parameters, target, errors) = ValidateRun(operation, submission.Target, submission.Parameters);

        if (submission.IdempotencyKey is { Length: > MaxIdempotencyKeyLength or 0 })
        {
            errors.Add(new("idempotencyKey", $"The idempotency key must be 1 to {MaxIdempotencyKeyLength} characters."));
        }
        else if (submission.IdempotencyKey is { } key && key.Any(char.IsControl))
        {
            errors.Add(new("idempotencyKey", "The idempotency key contains control characters; use printable text, e.g. a UUID."));
        }

        if (submission.Priority is < JobPriority.Lowest or > JobPriority.Highest)
        {
            errors.Add(new("priority", $"The priority {submission.Priority} is out of range: give a whole number from {JobPriority.Lowest} to {JobPriority.Highest} (higher starts first; default 0)."));
        }

        if (errors.Count > 0)
        {
            throw new JobRequestException(JobProblemKind.InvalidRequest, "The job request is invalid: " + string.Join(" ", errors.Select(e => e.Message)), errors);
        }

        if (!await _queue.TryEnterAsync(cancellationToken).ConfigureAwait(false))
        {
            // A full queue refuses new jobs, not the answer to a resubmit: a client that retries a
            // submit it sent before (same idempotency key) gets the job that submit made.
            if (submission.IdempotencyKey is { } key && await _queries.FindByIdempotencyKeyAsync(key, cancellationToken).ConfigureAwait(false) is { } earlier)
            {
                return new SubmitResult(Shown(await _reasons.ExplainAsync(earlier, cancellationToken, countQueue: false).ConfigureAwait(false), operation), Created: false);
            }

            throw _queue.Full();
        }

        using var span = JobTracing.StartSubmit(_metrics, operation.QualifiedName, target);
        var newJob = NewJobs.From(operation, target, _protector.Protect(operation, parameters), submitter, submission.IdempotencyKey, submission.NotBefore)
            with { TraceParent = JobTracing.ContextToStore(_metrics, span), Priority = submission.Priority ?? 0 };
        var result = await _store.SubmitAsync(newJob, cancellationToken).ConfigureAwait(false);
        span?.SetTag(SpanAttributes.JobId, result.Job.JobId);
        if (result.Created)
        {
            _metrics.Submitted(operation.QualifiedName);
            _dispatcher.Wake();
        }

        return result with { Job = Shown(await _reasons.ExplainSubmittedAsync(result, cancellationToken).ConfigureAwait(false), operation) };
    }

    // The parameters and target a run of the operation gets, or what is wrong with them (a submit's, a schedule's).
    private static (System.Text.Json.Nodes.JsonObject Parameters, string? Target, List<FieldError> Errors) ValidateRun(
        OperationDefinition operation, string? givenTarget, System.Text.Json.Nodes.JsonObject? givenParameters)
    {
        var errors = new List<FieldError>();
        var (parameters, parameterErrors) = ParameterValidator.Validate(operation, givenParameters);
        var target = string.IsNullOrWhiteSpace(givenTarget) ? null : givenTarget;
        if (target is null && operation.TargetTemplate is { } template && parameterErrors.Count == 0)
        {
            target = Placeholders.Render(template, parameters);
        }

        if (target is null && operation.TargetRequired)
        {
            errors.Add(new("target", $"Operation '{operation.QualifiedName}' needs a target."));
        }
        else if (target is { Length: > MaxTargetLength })
        {
            errors.Add(new("target", $"The target is longer than {MaxTargetLength} characters."));
        }
        else if (target is not null && target.Any(char.IsControl))
        {
            errors.Add(new("target", "The target contains control characters."));
        }

        errors.AddRange(parameterErrors);
        return (parameters, target, errors);
    }

    /// <summary>One job with its history and, while NOT_STARTED, why; null when there is none.</summary>
    public Task<JobRecord?> GetAsync(long jobId, CancellationToken cancellationToken) =>
        GetAsync(jobId, includeHistory: true, cancellationToken);

    /// <summary>One job, with its history when asked; null when there is none.</summary>
    public async Task<JobRecord?> GetAsync(long jobId, bool includeHistory, CancellationToken cancellationToken)
    {
        if (includeHistory && _records?.Find(jobId) is { } known)
        {
            return Shown(known);
        }

        var mark = _records?.Mark ?? 0;
        var job = await _queries.GetAsync(jobId, includeHistory, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        if (includeHistory)
        {
            _records?.Keep(job, mark);
        }

        return Shown(await _reasons.ExplainAsync(job, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Waits until the job changes after <paramref name="seenVersion"/> (or, when null, after this
    /// call began), it is terminal, or <paramref name="wait"/> passes; returns it then.
    /// </summary>
    public async Task<JobRecord?> WaitForChangeAsync(long jobId, long? seenVersion, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + wait;
        long? baseline = seenVersion;
        while (true)
        {
            var next = _changes.NextChangeAsync(jobId);
            var job = await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            baseline ??= job?.Version;
            var remaining = deadline - _time.GetUtcNow();
            if (job is null || job.Status.IsTerminal() || job.Version != baseline || remaining <= TimeSpan.Zero)
            {
                _changes.Forget(jobId, next);
                return job;
            }

            try
            {
                await next.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _changes.Forget(jobId, next);
                return await GetAsync(jobId, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _changes.Forget(jobId, next);
                throw;
            }
        }
    }

    /// <summary>Waits until the job is terminal or <paramref name="timeout"/> passes; returns it then.</summary>
    public async Task<JobRecord?> WaitForTerminalAsync(long jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            var remaining = deadline - _time.GetUtcNow();
            var job = await WaitForChangeAsync(jobId, null, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (job is null || job.Status.IsTerminal() || _time.GetUtcNow() >= deadline)
            {
                return job;
            }
        }
    }

    /// <summary>A page of jobs, newest first; NOT_STARTED ones say why.</summary>
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await _queries.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var explained = await _reasons.ExplainAsync(page.Jobs, cancellationToken).ConfigureAwait(false);
        return page with { Jobs = explained.Select(job => Shown(job)).ToArray() };
    }

    /// <summary>Cancels: NOT_STARTED ends CANCELED_BEFORE_START at once; RUNNING has its token fired; terminal is a conflict.</summary>
    public async Task<CancelResult> CancelAsync(long jobId, string? actor, CancellationToken cancellationToken)
    {
        var result = await _store.CancelAsync(jobId, actor, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case CancelOutcome.NotFound:
                throw NotFound(jobId);
            case CancelOutcome.AlreadyTerminal:
                throw new JobRequestException(
                    JobProblemKind.Conflict,
                    $"Job {jobId} is {result.Job!.Status.ToWire()}; a finished job cannot be canceled.",
                    [new("jobId", "The job has already ended; nothing was changed.")]);
            case CancelOutcome.Requested:
                _dispatcher.DeliverCancel(jobId);
                break;
            case CancelOutcome.CanceledBeforeStart:
                _dispatcher.Wake();
                break;
        }

        return result with { Job = result.Job is null ? null : Shown(await _reasons.ExplainAsync(result.Job, cancellationToken).ConfigureAwait(false)) };
    }

    /// <summary>Deletes a terminal job and its history.</summary>
    public async Task DeleteAsync(long jobId, CancellationToken cancellationToken)
    {
        switch (await _store.DeleteAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            case DeleteOutcome.NotFound:
                throw NotFound(jobId);
            case DeleteOutcome.NotTerminal:
                throw new JobRequestException(
                    JobProblemKind.Conflict,
                    $"Job {jobId} has not ended; only a finished job can be deleted (cancel it first).",
                    [new("jobId", "Cancel the job, wait for it to end, then delete it.")]);
        }
    }

    /// <summary>How many jobs there are in each status.</summary>
    public Task<IReadOnlyDictionary<JobStatus, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        _queries.CountByStatusAsync(cancellationToken);

    /// <summary>
    /// The NOT_STARTED jobs by the reason they wait, as the job list explains them (at most the newest
    /// 10,000 waiting jobs are counted); the metrics and the dashboard read the same census.
    /// </summary>
    public Task<IReadOnlyList<WaitingReasonCount>> CountWaitingByReasonAsync(CancellationToken cancellationToken) =>
        _waiting.CountAsync(cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    public Task PingStoreAsync(CancellationToken cancellationToken) => _store.PingAsync(cancellationToken);

    private static JobRequestException NotFound(long jobId) =>
        new(JobProblemKind.JobNotFound, $"There is no job {jobId}.", [new("jobId", $"No job has the id {jobId}; it may have been deleted.")]);

    // Sensitive parameters are never shown.
    private JobRecord Shown(JobRecord job, OperationDefinition? operation = null) =>
        Masked(job.Parameters, operation ?? _operations.Find(job.Group, job.Operation)) is { } masked ? job with { Parameters = masked } : job;

    // The parameters with each sensitive one as "***", or null when the operation has none to hide.
    private static System.Text.Json.Nodes.JsonObject? Masked(System.Text.Json.Nodes.JsonObject parameters, OperationDefinition? operation)
    {
        if (operation is null || !operation.Parameters.Any(p => p.Sensitive))
        {
            return null;
        }

        var masked = parameters.DeepClone().AsObject();
        foreach (var parameter in operation.Parameters.Where(p => p.Sensitive && masked.ContainsKey(p.Name)))
        {
            masked[parameter.Name] = "***";
        }

        return masked;
    }
}
