namespace Jobwright.Engine;

/// <summary>The two moments of a node's stop that its services watch: it stops taking work, then it stops waiting for the store.</summary>
internal sealed class DispatcherLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    // Cancelled once the node has stopped: writes still waiting for an unreachable store give up then.
    private readonly CancellationTokenSource _giveUpWrites = new();

    public CancellationToken Stopping => _stopping.Token;

    public CancellationToken GiveUpWrites => _giveUpWrites.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public Task StopTakingWorkAsync() => _stopping.CancelAsync();

    public Task GiveUpWritesAsync() => _giveUpWrites.CancelAsync();

    public void Dispose()
    {
        _stopping.Dispose();
        _giveUpWrites.Dispose();
    }
}
