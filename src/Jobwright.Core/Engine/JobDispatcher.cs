using Jobwright.Diagnostics;
using Jobwright.Hosting;
using Jobwright.Model;
using Jobwright.Operations;
using Jobwright.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Engine;

/// <summary>
/// The node's engine as one hosted service: it opens the store (recovering, or joining the cluster), then
/// runs the claim loop, the heartbeat and the node's background services, and stops them gracefully:
/// running jobs get a grace period, then are interrupted. The work itself is done by its parts: the
/// <see cref="ClaimLoop"/>, the <see cref="JobRunner"/> (with <see cref="HandlerExecution"/>), the
/// <see cref="JobCompleter"/> (with <see cref="RetryScheduler"/>) and every <see cref="INodeService"/>.
/// </summary>
internal sealed class JobDispatcher : IHostedService, IAsyncDisposable, IClusterSignals
{
    private readonly IJobStore _store;
    private readonly OperationRegistry _operations;
    private readonly JobwrightOptions _options;
    private readonly IReadOnlyList<INodeService> _nodeServices;
    private readonly TimeProvider _time;
    private readonly ILogger<JobDispatcher> _logger;
    private readonly DispatcherLifetime _lifetime = new();
    private readonly RunningJobs _runs;
    private readonly ClaimLoop _claims;
    private readonly JobwrightMetrics _metrics;
    private Task _claimLoop = Task.CompletedTask;
    private Task[] _services = [];
    private Task _heartbeatLoop = Task.CompletedTask;
    private NodeHeartbeat? _heartbeat;

    public JobDispatcher(
        IJobStore store,
        OperationRegistry operations,
        IOptions<JobwrightOptions> options,
        IServiceProvider services,
        IEnumerable<INodeService> nodeServices,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        ParameterProtector protector,
        JobwrightMetrics metrics)
    {
        _store = store;
        _operations = operations;
        _options = options.Value;
        _nodeServices = nodeServices.ToArray();
        _time = time;
        _logger = loggerFactory.CreateLogger<JobDispatcher>();
        _runs = new RunningJobs(time);
        JobRunner? runner = null;
        _claims = new ClaimLoop(store, _options.NodeName, _options.WorkerSlots, _options.PollInterval, _runs, (claim, slot) => runner!.RunAsync(claim, slot), metrics, time, _logger);
        _metrics = metrics;
        var completer = new JobCompleter(store, new RetryScheduler(store, metrics, time, Wake), _lifetime, _options.NodeName, time, _logger);
        var execution = new HandlerExecution(store, _runs, loggerFactory, time, _logger);
        runner = new JobRunner(store, operations, protector, services, _runs, execution, completer, _lifetime, metrics, _options.NodeName, Wake, time, _logger);
    }

    public string NodeName => _options.NodeName;

    public int WorkerSlots => _options.WorkerSlots;

    /// <summary>Jobs claimed or running on this node.</summary>
    public int ActiveJobs => _runs.Active;

    public int RunningJobs => _runs.Running;

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
                () => (_runs.Running, Math.Max(0, _runs.Active - _runs.Running)),
                () => _runs.StopAll(StopCause.NodeLost),
                _metrics,
                _time,
                _logger);
            await _heartbeat.JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A single-node store's RUNNING and claimed jobs all belong to a process that is gone.
            var recovered = await _store.RecoverAsync(null, JobEnds.NodeStopped, cancellationToken).ConfigureAwait(false);
            if (recovered.FailedRunning + recovered.ReturnedToQueue > 0)
            {
                Log.Recovered(_logger, recovered.FailedRunning, recovered.ReturnedToQueue);
            }
        }

        StartedAt = _time.GetUtcNow();
        IsTakingWork = true;
        var stopping = _lifetime.Stopping;
        _claimLoop = Task.Run(() => _claims.RunAsync(stopping), CancellationToken.None);
        if (_heartbeat is not null)
        {
            _heartbeatLoop = Task.Run(() => _heartbeat.RunAsync(stopping), CancellationToken.None);
        }

        _services = _nodeServices.Select(service => Task.Run(() => service.RunAsync(stopping), CancellationToken.None)).ToArray();
        Log.NodeStarted(_logger, _options.NodeName, _options.WorkerSlots, _store.Kind);
    }

    /// <summary>Asks the dispatcher to look for work now (a job was submitted or a slot or target freed).</summary>
    public void Wake() => _claims.Wake();

    /// <inheritdoc />
    void IClusterSignals.WorkAvailable() => Wake();

    /// <inheritdoc />
    void IClusterSignals.CancelRequested(long jobId) => DeliverCancel(jobId);

    /// <summary>Fires the token of a job running here after the store recorded its cancel.</summary>
    public void DeliverCancel(long jobId) => _runs.DeliverCancel(jobId);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_lifetime.IsStopping)
        {
            return;
        }

        IsTakingWork = false;
        await _lifetime.StopTakingWorkAsync().ConfigureAwait(false);
        await _claimLoop.ConfigureAwait(false);
        await Task.WhenAll(_services).ConfigureAwait(false);

        var allEnded = _runs.AllEndedAsync();
        if (!allEnded.IsCompleted)
        {
            Log.Stopping(_logger, _options.ShutdownGracePeriod, _runs.Active);
            await WaitAsync(allEnded, _options.ShutdownGracePeriod, cancellationToken).ConfigureAwait(false);
        }

        var interrupted = _runs.StopAll(StopCause.Shutdown);
        if (interrupted > 0)
        {
            Log.Interrupting(_logger, interrupted);
            await WaitAsync(allEnded, Engine.RunningJobs.StopWaitLimit, CancellationToken.None).ConfigureAwait(false);
        }

        await _lifetime.GiveUpWritesAsync().ConfigureAwait(false);
        await _heartbeatLoop.ConfigureAwait(false);
        if (_heartbeat is not null)
        {
            await _heartbeat.LeaveAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _lifetime.Dispose();
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
