using System.Threading.Channels;
using Jobwright.Diagnostics;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Claims jobs into the node's free worker slots and hands each to a run. Sleeps until woken (a submit, a
/// freed slot or target) or until the poll interval passes (scheduled jobs, busy-wait deadlines).
/// </summary>
internal sealed class ClaimLoop(
    IJobStore store, string nodeName, int workerSlots, TimeSpan pollInterval, RunningJobs runs,
    Func<ClaimedJob, WorkerSlot, Task> run, JobwrightMetrics telemetry, TimeProvider time, ILogger logger)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    // Worker slots taken: a run gives its slot back as soon as its finish is sent to the store, so the
    // next claim travels in the same batch instead of waiting for the finish's commit.
    private int _busySlots;

    /// <summary>Asks the loop to look for work now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var free = workerSlots - Volatile.Read(ref _busySlots);
            var filled = false;
            if (free > 0)
            {
                try
                {
                    var asked = time.GetUtcNow();
                    var claimed = await store.ClaimAsync(nodeName, free, stopping).ConfigureAwait(false);
                    var answered = time.GetUtcNow();
                    foreach (var claim in claimed)
                    {
                        JobTracing.RecordClaim(telemetry, claim.Job, nodeName, claim.Attempt, asked, answered);
                        runs.BeginRun();
                        Interlocked.Increment(ref _busySlots);
                        var slot = new WorkerSlot(() =>
                        {
                            Interlocked.Decrement(ref _busySlots);
                            Wake();
                        });
                        _ = Task.Run(() => run(claim, slot), CancellationToken.None);
                    }

                    filled = claimed.Count == free;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (StoreUnavailableException e)
                {
                    Log.StoreUnavailable(logger, e.Message);
                }
                catch (Exception e)
                {
                    Log.ClaimFailed(logger, e);
                }
            }

            // Every free slot filled: wait for one to free up, however long that takes.
            await WaitForWakeAsync(filled ? Timeout.InfiniteTimeSpan : pollInterval, stopping).ConfigureAwait(false);
        }
    }

    private async Task WaitForWakeAsync(TimeSpan timeout, CancellationToken stopping)
    {
        try
        {
            var wait = _wake.Reader.WaitToReadAsync(stopping).AsTask();
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                wait = wait.WaitAsync(timeout, time, stopping);
            }

            await wait.ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
