namespace Jobwright.Engine;

/// <summary>A job whose handler runs on this node: its token and why it was stopped.</summary>
internal sealed class RunningJob(long jobId, long attempt) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _abandon = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cause;
    private int _cancelRequested;

    public long JobId { get; } = jobId;

    public long Attempt { get; } = attempt;

    public CancellationToken Token => _stop.Token;

    public StopCause Cause => (StopCause)Volatile.Read(ref _cause);

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    /// <summary>Completes when the engine gives up waiting for a handler that ignores its token.</summary>
    public Task Abandoned => _abandon.Task;

    public void RequestCancel()
    {
        Volatile.Write(ref _cancelRequested, 1);
        Stop(StopCause.Cancel);
    }

    /// <summary>Fires the token; the first cause is the one recorded.</summary>
    public void Stop(StopCause cause)
    {
        if (Interlocked.CompareExchange(ref _cause, (int)cause, (int)StopCause.None) == (int)StopCause.None)
        {
            try
            {
                // Callbacks run on the thread pool, so the caller (an API request) never runs handler code inline.
                _ = _stop.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The run already ended.
            }
        }
    }

    public void Abandon() => _abandon.TrySetResult();

    public void Dispose() => _stop.Dispose();
}
