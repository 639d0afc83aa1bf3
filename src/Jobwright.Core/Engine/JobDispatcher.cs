using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobwright.Handlers;
using Jobwright.Hosting;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Engine;

/// <summary>
/// Claims jobs into a bounded number of worker slots and runs their handlers. A job waiting for its
/// target is never claimed, so it holds no slot. Stops gracefully: running jobs get a grace period,
/// then are interrupted.
/// </summary>
internal sealed class JobDispatcher : IHostedService, IAsyncDisposable, IClusterSignals
{
    // How long a handler that ignores its stop (timeout, shutdown) is waited for before its job is ended without it.
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    private readonly IJobStore _store;
    private readonly OperationRegistry _operations;
    private readonly JobwrightOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<JobDispatcher> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ParameterProtector _protector;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, RunningJob> _running = new();
    private readonly TaskCompletionSource _allRunsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, ILogger> _jobLoggers = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;
    private Task _retention = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;
    private NodeHeartbeat? _heartbeat;
    // Cancelled once the node has stopped: writes still waiting for an unreachable store give up then.
    private readonly CancellationTokenSource _giveUpWrites = new();
    // Runs in progress, until their last write is done (what shutdown waits for).
    private int _active;
    // Worker slots taken: a run gives its slot back as soon as its finish is sent to the store, so the
    // next claim travels in the same batch instead of waiting for the finish's commit.
    private int _busySlots;

    public JobDispatcher(
        IJobStore store,
        OperationRegistry operations,
        IOptions<JobwrightOptions> options,
        IServiceProvider services,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        ParameterProtector protector)
    {
        _protector = protector;
        _store = store;
        _operations = operations;
        _options = options.Value;
        _options.Validate();
        _services = services;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<JobDispatcher>();
    }

    public string NodeName => _options.NodeName;

    public int WorkerSlots => _options.WorkerSlots;

    /// <summary>Jobs claimed or running on this node.</summary>
    public int ActiveJobs => Volatile.Read(ref _active);

    public int RunningJobs => _running.Count;

    public bool IsTakingWork { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (_store is IClusterStore cluster)
        {
            // Joining rescues what an earlier run of this node left; other nodes' jobs are theirs.
            _heartbeat = new NodeHeartbeat(
                cluster,
                new ClusterMember(_options.NodeName, NodeInfo.CurrentVersion, _options.WorkerSlots, _operations.All.Select(o => o.QualifiedName).ToArray()),
                this,
                () => (_running.Count, Math.Max(0, Volatile.Read(ref _active) - _running.Count)),
                StopRunsOfLostNode,
                _time,
                _logger);
            await _heartbeat.JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A single-node store's RUNNING and claimed jobs all belong to a process that is gone.
            var recovered = await _store.RecoverAsync(null, OutcomeMapper.InterruptedMessage, cancellationToken).ConfigureAwait(false);
            if (recovered.FailedRunning + recovered.ReturnedToQueue > 0)
            {
                Log.Recovered(_logger, recovered.FailedRunning, recovered.ReturnedToQueue);
            }
        }

        StartedAt = _time.GetUtcNow();
        IsTakingWork = true;
        _loop = Task.Run(() => DispatchLoopAsync(_stopping.Token), CancellationToken.None);
        if (_heartbeat is not null)
        {
            _heartbeatLoop = Task.Run(() => _heartbeat.RunAsync(_stopping.Token), CancellationToken.None);
        }

        if (_options.Retention is { } retention)
        {
            _retention = Task.Run(() => RetentionLoopAsync(retention, _stopping.Token), CancellationToken.None);
        }

        Log.NodeStarted(_logger, _options.NodeName, _options.WorkerSlots, _store.Kind);
    }

    /// <summary>Asks the dispatcher to look for work now (a job was submitted or a slot or target freed).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <inheritdoc />
    void IClusterSignals.WorkAvailable() => Wake();

    /// <inheritdoc />
    void IClusterSignals.CancelRequested(long jobId) => DeliverCancel(jobId);

    /// <summary>Fires the token of a job running here after the store recorded its cancel.</summary>
    public void DeliverCancel(long jobId)
    {
        if (_running.TryGetValue(jobId, out var running))
        {
            running.RequestCancel();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        IsTakingWork = false;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _retention.ConfigureAwait(false);

        if (Volatile.Read(ref _active) == 0)
        {
            _allRunsEnded.TrySetResult();
        }
        else
        {
            Log.Stopping(_logger, _options.ShutdownGracePeriod, Volatile.Read(ref _active));
            await WaitAsync(_allRunsEnded.Task, _options.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false);
        }

        var stillRunning = _running.Values.ToArray();
        if (stillRunning.Length > 0)
        {
            Log.Interrupting(_logger, stillRunning.Length);
            foreach (var running in stillRunning)
            {
                StopAndAbandonLater(running, StopCause.Shutdown);
            }

            await WaitAsync(_allRunsEnded.Task, AbandonAfter + TimeSpan.FromSeconds(3), CancellationToken.None).ConfigureAwait(false);
        }

        await _giveUpWrites.CancelAsync().ConfigureAwait(false);
        await _heartbeatLoop.ConfigureAwait(false);
        if (_heartbeat is not null)
        {
            await _heartbeat.LeaveAsync().ConfigureAwait(false);
        }
    }

    // The cluster ended this node's jobs while it was unreachable (paused, cut off): their handlers
    // work for nothing now, and every write they make is refused.
    private void StopRunsOfLostNode()
    {
        foreach (var running in _running.Values)
        {
            StopAndAbandonLater(running, StopCause.NodeLost);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _giveUpWrites.Dispose();
    }

    private async Task DispatchLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var free = _options.WorkerSlots - Volatile.Read(ref _busySlots);
            var filled = false;
            if (free > 0)
            {
                try
                {
                    var claimed = await _store.ClaimAsync(_options.NodeName, free, stopping).ConfigureAwait(false);
                    foreach (var claim in claimed)
                    {
                        Interlocked.Increment(ref _active);
                        Interlocked.Increment(ref _busySlots);
                        _ = Task.Run(() => RunAsync(claim), CancellationToken.None);
                    }

                    filled = claimed.Count == free;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (StoreUnavailableException e)
                {
                    Log.StoreUnavailable(_logger, e.Message);
                }
                catch (Exception e)
                {
                    Log.ClaimFailed(_logger, e);
                }
            }

            if (filled)
            {
                // Every free slot was filled: wait for one to free up.
                await WaitForWakeAsync(Timeout.InfiniteTimeSpan, stopping).ConfigureAwait(false);
            }
            else
            {
                await WaitForWakeAsync(_options.PollInterval, stopping).ConfigureAwait(false);
            }
        }
    }

    // Finished jobs older than the retention are removed in small batches, so the store stays bounded.
    private async Task RetentionLoopAsync(TimeSpan retention, CancellationToken stopping)
    {
        const int Batch = 1000;
        var interval = retention / 2 < TimeSpan.FromMinutes(1) ? retention / 2 : TimeSpan.FromMinutes(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, stopping).ConfigureAwait(false);
                while (await _store.PurgeAsync(_time.GetUtcNow() - retention, Batch, stopping).ConfigureAwait(false) == Batch)
                {
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PurgeFailed(_logger, e);
            }
        }
    }

    private async Task WaitForWakeAsync(TimeSpan timeout, CancellationToken stopping)
    {
        try
        {
            var wait = _wake.Reader.WaitToReadAsync(stopping).AsTask();
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                wait = wait.WaitAsync(timeout, _time, stopping);
            }

            await wait.ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(ClaimedJob claim)
    {
        var job = claim.Job;
        var slot = new WorkerSlot(() =>
        {
            Interlocked.Decrement(ref _busySlots);
            Wake();
        });
        try
        {
            await RunClaimedAsync(job, claim.Attempt, slot).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.RunFailed(_logger, job.JobId, e);
            // Whatever failed, the job must not stay claimed or RUNNING on a node that has moved on.
            await TryAsync(() => EndAfterEngineErrorAsync(job, claim.Attempt, e)).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(job.JobId, out _);
            slot.Release();
            if (Interlocked.Decrement(ref _active) == 0 && _stopping.IsCancellationRequested)
            {
                _allRunsEnded.TrySetResult();
            }

            Wake();
        }
    }

    private async Task RunClaimedAsync(JobRecord job, long attempt, WorkerSlot slot)
    {
        var operation = _operations.Find(job.Group, job.Operation);
        if (operation is null)
        {
            await FailToStartAsync(job, attempt, $"no handler for operation '{job.Group}/{job.Operation}' on node {_options.NodeName}").ConfigureAwait(false);
            return;
        }

        System.Text.Json.Nodes.JsonObject stored;
        try
        {
            stored = _protector.Unprotect(job.Parameters);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            await FailToStartAsync(job, attempt, $"the sensitive parameters could not be decrypted (is this node's key file the one they were stored with?): {e.Message}").ConfigureAwait(false);
            return;
        }

        var (parameters, errors) = ParameterValidator.Validate(operation, stored);
        if (errors.Count > 0)
        {
            await FailToStartAsync(job, attempt, "parameters could not be bound: " + string.Join(" ", errors.Select(e => e.Message))).ConfigureAwait(false);
            return;
        }

        await using var scope = _services.CreateAsyncScope();
        IJobHandler handler;
        try
        {
            handler = operation.CreateHandler(scope.ServiceProvider);
        }
        catch (Exception e)
        {
            await FailToStartAsync(job, attempt, $"the handler of '{operation.QualifiedName}' could not be constructed: {e.Message}").ConfigureAwait(false);
            return;
        }

        try
        {
            if (_stopping.IsCancellationRequested)
            {
                // Never begun: hand it back so the next start (or another node) runs it.
                await StoreRetry.UntilDoneAsync(() => _store.ReleaseAsync(job.JobId, attempt, CancellationToken.None), _time, _giveUpWrites.Token).ConfigureAwait(false);
                return;
            }

            using var running = new RunningJob(job.JobId, attempt);
            // Registered before the start, so that a cancel arriving just after it finds the job.
            _running[job.JobId] = running;
            if (!await StoreRetry.UntilDoneAsync(() => _store.StartAsync(job.JobId, attempt, CancellationToken.None), _time, _giveUpWrites.Token).ConfigureAwait(false))
            {
                return;
            }

            await ExecuteAsync(job, attempt, operation, parameters, handler, running, slot).ConfigureAwait(false);
        }
        finally
        {
            switch (handler)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private async Task ExecuteAsync(JobRecord job, long attempt, OperationDefinition operation, System.Text.Json.Nodes.JsonObject parameters, IJobHandler handler, RunningJob running, WorkerSlot slot)
    {
        ProgressWriter? progress = null;
        var context = new JobContext(
            job,
            operation,
            new JobParameters(parameters),
            _jobLoggers.GetOrAdd(operation.QualifiedName, name => _loggerFactory.CreateLogger("Jobwright.Job." + name)),
            _time,
            () => progress?.MarkChanged());
        progress = new ProgressWriter(_store, job.JobId, attempt, context.Snapshot);

        using var timeout = operation.Timeout is { } limit ? new CancellationTokenSource(limit, _time) : null;
        using var onTimeout = timeout?.Token.Register(() => StopAndAbandonLater(running, StopCause.Timeout));

        var handlerTask = Task.Run(() => handler.ExecuteAsync(context, running.Token), CancellationToken.None);
        HandlerEnding ending;
        if (await Task.WhenAny(handlerTask, running.Abandoned).ConfigureAwait(false) != handlerTask)
        {
            Log.HandlerAbandoned(_logger, job.JobId, running.Cause.ToString());
            ending = new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        else
        {
            ending = await EndingOfAsync(handlerTask, running, operation).ConfigureAwait(false);
        }

        await progress.CloseAsync().ConfigureAwait(false);
        var finish = OutcomeMapper.Map(ending, context.Snapshot(), running.CancelRequested);
        var finishing = StoreRetry.UntilDoneAsync(() => _store.FinishAsync(job.JobId, attempt, finish, CancellationToken.None), _time, _giveUpWrites.Token);
        // The finish is queued: the slot is free for the next claim, which the store then decides after it.
        slot.Release();
        var result = await finishing.ConfigureAwait(false);
        if (!result.Applied)
        {
            Log.FinishRefused(_logger, job.JobId, finish.Status.ToWire(), result.Current?.Status.ToWire() ?? "deleted");
        }
        else
        {
            Log.JobEnded(_logger, job.JobId, operation.QualifiedName, finish.Status.ToWire());
            await RetryIfPolicySaysAsync(job, operation, finish.Status).ConfigureAwait(false);
        }
    }

    // Automatic retry is a new job linked both ways; the ended job keeps its status.
    private async Task RetryIfPolicySaysAsync(JobRecord job, OperationDefinition operation, JobStatus status)
    {
        if (operation.Retry is not { } retry || !retry.On.Contains(status))
        {
            return;
        }

        var attempts = 1;
        for (var previous = job.RetryOf; previous is { } id && attempts < retry.MaxAttempts; attempts++)
        {
            previous = (await _store.GetAsync(id, includeHistory: false, CancellationToken.None).ConfigureAwait(false))?.RetryOf;
        }

        if (attempts >= retry.MaxAttempts)
        {
            return;
        }

        var next = await _store.SubmitAsync(
            NewJobs.From(operation, job.Target, job.Parameters, job.Submitter, notBefore: _time.GetUtcNow() + retry.Delay, retryOf: job.JobId),
            CancellationToken.None).ConfigureAwait(false);
        await _store.LinkRetryAsync(job.JobId, next.Job.JobId, CancellationToken.None).ConfigureAwait(false);
        Wake();
    }

    private static async Task<HandlerEnding> EndingOfAsync(Task<JobOutcome> handlerTask, RunningJob running, OperationDefinition operation)
    {
        try
        {
            return new HandlerEnding.Returned(await handlerTask.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (running.Cause != StopCause.None)
        {
            return new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        catch (Exception) when (running.Cause is StopCause.Timeout or StopCause.Shutdown)
        {
            // Whatever it threw, it was interrupted by the engine.
            return new HandlerEnding.Stopped(running.Cause, operation.Timeout);
        }
        catch (Exception e)
        {
            return new HandlerEnding.Threw(e);
        }
    }

    private void StopAndAbandonLater(RunningJob running, StopCause cause)
    {
        running.Stop(cause);
        _ = Task.Delay(AbandonAfter, _time).ContinueWith(_ => running.Abandon(), TaskScheduler.Default);
    }

    private async Task<FinishResult> FailToStartAsync(JobRecord job, long attempt, string reason)
    {
        Log.JobFailedToStart(_logger, job.JobId, reason);
        var finish = new JobFinish
        {
            Status = JobStatus.FailedToStart,
            Snapshot = new JobSnapshot(JobProgress.Empty, new Dictionary<string, string> { ["returnCode"] = "1", ["result"] = reason }, []),
            Error = new JobError(reason),
            Reason = reason,
        };
        return await StoreRetry.UntilDoneAsync(() => _store.FinishAsync(job.JobId, attempt, finish, CancellationToken.None), _time, _giveUpWrites.Token).ConfigureAwait(false);
    }

    private async Task EndAfterEngineErrorAsync(JobRecord job, long attempt, Exception error)
    {
        var reason = "an internal error kept the handler from starting: " + error.Message;
        var result = await FailToStartAsync(job, attempt, reason).ConfigureAwait(false);
        if (!result.Applied && result.Current is { Status: JobStatus.Running, Node: var node } && node == _options.NodeName)
        {
            var failure = "the node failed while running the job: " + error.Message;
            var finish = new JobFinish
            {
                Status = JobStatus.FailedBeforeCompletion,
                Snapshot = new JobSnapshot(result.Current.Progress, new Dictionary<string, string> { ["returnCode"] = "1", ["result"] = failure }, result.Current.Messages),
                Error = new JobError(failure),
                Reason = failure,
            };
            await StoreRetry.UntilDoneAsync(() => _store.FinishAsync(job.JobId, attempt, finish, CancellationToken.None), _time, _giveUpWrites.Token).ConfigureAwait(false);
        }
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.ClaimFailed(_logger, e);
        }
    }

    private async Task WaitAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }
}
