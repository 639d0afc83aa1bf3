using System.Collections.Concurrent;

namespace Jobwright.Engine;

/// <summary>
/// The runs in progress on this node: how many are claimed or running (what shutdown waits for), and the
/// handlers running now, which cancels, timeouts and stops reach through their <see cref="RunningJob"/>.
/// </summary>
internal sealed class RunningJobs(TimeProvider time)
{
    // How long a handler that ignores its stop (timeout, shutdown) is waited for before its job is ended without it.
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<long, RunningJob> _running = new();
    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private int _draining;

    /// <summary>Runs claimed or running, until their last write is done.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Handlers running now.</summary>
    public int Running => _running.Count;

    public void BeginRun() => Interlocked.Increment(ref _active);

    /// <summary>Registered before the start, so that a cancel arriving just after it finds the job.</summary>
    public void Register(RunningJob running) => _running[running.JobId] = running;

    public void EndRun(long jobId)
    {
        _running.TryRemove(jobId, out _);
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _draining) == 1)
        {
            _allEnded.TrySetResult();
        }
    }

    /// <summary>Fires the token of a job running here after the store recorded its cancel.</summary>
    public void DeliverCancel(long jobId)
    {
        if (_running.TryGetValue(jobId, out var running))
        {
            running.RequestCancel();
        }
    }

    /// <summary>Stops every running handler; returns how many.</summary>
    public int StopAll(StopCause cause)
    {
        var all = _running.Values.ToArray();
        foreach (var running in all)
        {
            StopAndAbandonLater(running, cause);
        }

        return all.Length;
    }

    /// <summary>Fires the handler's token, and gives up waiting for it after a while.</summary>
    public void StopAndAbandonLater(RunningJob running, StopCause cause)
    {
        running.Stop(cause);
        _ = Task.Delay(AbandonAfter, time).ContinueWith(_ => running.Abandon(), TaskScheduler.Default);
    }

    /// <summary>No run begins after this is called (the claim loop has stopped); completes when the last one ended.</summary>
    public Task AllEndedAsync()
    {
        Volatile.Write(ref _draining, 1);
        if (Active == 0)
        {
            _allEnded.TrySetResult();
        }

        return _allEnded.Task;
    }

    /// <summary>How long to wait for handlers that were just stopped, before the node gives up on them.</summary>
    public static TimeSpan StopWaitLimit => AbandonAfter + TimeSpan.FromSeconds(3);
}
