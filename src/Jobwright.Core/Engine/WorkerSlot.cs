namespace Jobwright.Engine;

/// <summary>
/// A claimed job's hold on one of the node's worker slots, given back once: when the job's finish is
/// on its way to the store (the handler has ended), or when the run ends without a handler.
/// </summary>
internal sealed class WorkerSlot(Action giveBack)
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            giveBack();
        }
    }
}
