namespace Jobwright.Storage;

/// <summary>
/// Committed job changes, in process: long-polls and event streams wait on it instead of polling
/// the store. A store publishes after its commit, so a reader woken by it sees the change.
/// </summary>
public sealed class JobChangeFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<TaskCompletionSource>> _waiters = [];
    private Action<JobChange>[] _subscribers = [];

    /// <summary>Tells every subscriber and every waiter of the job.</summary>
    public void Publish(JobChange change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber(change);
        }

        List<TaskCompletionSource>? waiters;
        lock (_gate)
        {
            if (_waiters.Count == 0 || !_waiters.Remove(change.JobId, out waiters))
            {
                return;
            }
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Calls <paramref name="onChange"/> for every change until disposed. It must be quick and must not throw.</summary>
    public IDisposable Subscribe(Action<JobChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Subscription(this, onChange);
    }

    /// <summary>A task that completes at the next change of the job. Register it before reading the job, so no change is missed.</summary>
    public Task NextChangeAsync(long jobId)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_waiters.TryGetValue(jobId, out var list))
            {
                _waiters[jobId] = list = [];
            }

            list.Add(waiter);
        }

        return waiter.Task;
    }

    /// <summary>Forgets a waiter whose caller gave up, so waiters do not pile up on a quiet job.</summary>
    public void Forget(long jobId, Task waiter)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(jobId, out var list))
            {
                list.RemoveAll(w => w.Task == waiter);
                if (list.Count == 0)
                {
                    _waiters.Remove(jobId);
                }
            }
        }
    }

    private void Unsubscribe(Action<JobChange> onChange)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != onChange).ToArray();
        }
    }

    private sealed class Subscription(JobChangeFeed feed, Action<JobChange> onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(onChange);
            }
        }
    }
}
