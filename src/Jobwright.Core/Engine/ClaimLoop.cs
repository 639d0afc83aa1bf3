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
    // 1 while the loop waits for a slot to free up: only then does a freed slot wake it (a loop with slots
    // free already claimed everything it could).
    private int _waitingForSlot;

    /// <summary>Asks the loop to look for work now.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    public async Task RunAsync(CancellationToken stopping)
    {
        // After a claim that left slots free, the next claim is held to travel with the next submit of this node
        // (one commit for both, where a wake after the submit's commit would cost a round trip more), and made on
        // its own once woken or the poll interval passes: this wait.
        Task? woken = null;
        while (!stopping.IsCancellationRequested)
        {
            var free = workerSlots - Volatile.Read(ref _busySlots);
            int? claimed = null;
            if (free > 0)
            {
                try
                {
                    claimed = await ClaimAsync(free, woken, stopping).ConfigureAwait(false);
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

            if (woken is { IsCompleted: true })
            {
                woken = null;
            }

            if (claimed is { } count && count < free)
            {
                woken ??= WaitForWakeAsync(pollInterval, stopping);
            }
            else if (claimed is null && free > 0)
            {
                // The claim failed: try again after the poll interval at the latest.
                await (woken ?? WaitForWakeAsync(pollInterval, stopping)).ConfigureAwait(false);
                woken = null;
            }
            else
            {
                await WaitForSlotAsync(woken, stopping).ConfigureAwait(false);
                woken = null;
            }
        }
    }

    // Every slot is taken: waits for one to free up, however long that takes (or for a wake that came first).
    private async Task WaitForSlotAsync(Task? woken, CancellationToken stopping)
    {
        // The flag is set before the slots are counted and a slot is given back before the flag is read (both
        // full fences): a slot freed in between is either counted here or wakes the wait.
        Interlocked.Exchange(ref _waitingForSlot, 1);
        try
        {
            if (workerSlots - Volatile.Read(ref _busySlots) <= 0)
            {
                await (woken ?? WaitForWakeAsync(Timeout.InfiniteTimeSpan, stopping)).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _waitingForSlot, 0);
        }
    }

    // Claims into the free slots and hands each claimed job to a run; returns how many were claimed.
    private async Task<int> ClaimAsync(int free, Task? heldUntil, CancellationToken stopping)
    {
        var asked = time.GetUtcNow();
        var claimed = await (heldUntil is null
            ? store.ClaimAsync(nodeName, free, stopping)
            : store.ClaimWithNextSubmitAsync(nodeName, free, heldUntil, stopping)).ConfigureAwait(false);
        var answered = time.GetUtcNow();
        foreach (var claim in claimed)
        {
            // A held claim was asked before its job existed: the job's claim began when it was submitted.
            JobTracing.RecordClaim(telemetry, claim.Job, nodeName, claim.Attempt, asked > claim.Job.TimeSubmitted ? asked : claim.Job.TimeSubmitted, answered);
            runs.BeginRun();
            Interlocked.Increment(ref _busySlots);
            var slot = new WorkerSlot(() =>
            {
                Interlocked.Decrement(ref _busySlots);
                if (Volatile.Read(ref _waitingForSlot) == 1)
                {
                    Wake();
                }
            });
            _ = Task.Run(() => run(claim, slot), CancellationToken.None);
        }

        return claimed.Count;
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
