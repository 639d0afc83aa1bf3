using System.Collections.Concurrent;

namespace Jobwright.Bench;

/// <summary>When each job's handler began (Stopwatch ticks).</summary>
internal sealed class StartTimes
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<long>> _starts = new();

    public void Record(long jobId, long timestamp) => For(jobId).TrySetResult(timestamp);

    public Task<long> WaitAsync(long jobId) => For(jobId).Task;

    public void Clear() => _starts.Clear();

    private TaskCompletionSource<long> For(long jobId) =>
        _starts.GetOrAdd(jobId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
