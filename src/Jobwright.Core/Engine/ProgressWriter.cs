using Jobwright.Model;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Writes a running job's progress, at most one write in flight; changes made while a write is
/// in flight are coalesced into the next one, so a chatty handler costs few writes.
/// </summary>
internal sealed class ProgressWriter(IJobStore store, long jobId, long attempt, Func<JobSnapshot> snapshot)
{
    private readonly Lock _gate = new();
    private Task _inFlight = Task.CompletedTask;
    private bool _dirty;
    private bool _writing;
    private bool _closed;

    public void MarkChanged()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _dirty = true;
            if (_writing)
            {
                return;
            }

            _writing = true;
            _inFlight = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>Stops further writes and waits for the one in flight.</summary>
    public async Task CloseAsync()
    {
        Task inFlight;
        lock (_gate)
        {
            _closed = true;
            inFlight = _inFlight;
        }

        await inFlight.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        while (true)
        {
            lock (_gate)
            {
                if (!_dirty || _closed)
                {
                    _writing = false;
                    return;
                }

                _dirty = false;
            }

            try
            {
                await store.ReportProgressAsync(jobId, attempt, snapshot(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Progress is best effort (the store may be restarting); the final write carries everything again.
            }
        }
    }
}
