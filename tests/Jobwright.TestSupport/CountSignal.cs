namespace Jobwright.TestSupport;

/// <summary>A count that tests await: <see cref="WaitForAsync"/> completes once it has reached a number.</summary>
public sealed class CountSignal
{
    private readonly List<(long Target, TaskCompletionSource Reached)> _waiting = [];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment()
    {
        lock (_waiting)
        {
            _count++;
            foreach (var waiter in _waiting.Where(w => _count >= w.Target).ToArray())
            {
                waiter.Reached.TrySetResult();
                _waiting.Remove(waiter);
            }
        }
    }

    public Task WaitForAsync(long target, TimeSpan timeout)
    {
        lock (_waiting)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((target, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }
}
