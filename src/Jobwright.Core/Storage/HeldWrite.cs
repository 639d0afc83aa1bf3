namespace Jobwright.Storage;

/// <summary>
/// A store writer's one write held back to travel in its next batch that submits a job
/// (<see cref="IJobStore.ClaimWithNextSubmitAsync"/>): the writer takes it into that batch, or it is queued to go
/// alone once its signal completes, or it is dropped, and failed as canceled, when its token is canceled first.
/// Exactly one of the three happens.
/// </summary>
internal sealed class HeldWrite<TWrite>(Func<TWrite, WriteKind> kind, Func<TWrite, bool> queue, Action<TWrite, Exception> fail, Func<Exception> closed)
    where TWrite : class
{
    private TWrite? _held;

    /// <summary>
    /// Readies a batch the writer read from its queue: a batch that submits a job takes the held write along (when it
    /// has room), and its claims move behind its other writes (<see cref="WriteKinds.MoveClaimsLast"/>).
    /// </summary>
    public void Arrange(List<TWrite> batch, int maxBatch)
    {
        if (batch.Count < maxBatch && batch.Exists(w => kind(w) == WriteKind.Submit) && Take() is { } held)
        {
            batch.Add(held);
        }

        WriteKinds.MoveClaimsLast(batch, kind);
    }

    /// <summary>Holds <paramref name="write"/>; false, and nothing held, when another write is held already.</summary>
    public bool TryHold(TWrite write, Task done, Task sendAlone, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _held, write, null) is not null)
        {
            return false;
        }

        var dropped = cancellationToken.Register(() => Unhold(write, send: false));
        _ = sendAlone.ContinueWith(_ => Unhold(write, send: !cancellationToken.IsCancellationRequested), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = done.ContinueWith(_ => dropped.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>The held write, taken back from the slot; null when none is held.</summary>
    public TWrite? Take() => Interlocked.Exchange(ref _held, null);

    /// <summary>The writer closed: a write still held fails.</summary>
    public void Close()
    {
        if (Take() is { } write)
        {
            fail(write, closed());
        }
    }

    // Takes the held write back, unless a batch took it first: queued to go alone, or dropped.
    private void Unhold(TWrite write, bool send)
    {
        if (Interlocked.CompareExchange(ref _held, null, write) != write)
        {
            return;
        }

        if (!send)
        {
            fail(write, new OperationCanceledException("The held write was dropped."));
        }
        else if (!queue(write))
        {
            fail(write, closed());
        }
    }
}
