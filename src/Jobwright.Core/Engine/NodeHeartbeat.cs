using Jobwright.Diagnostics;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;

namespace Jobwright.Engine;

/// <summary>
/// Keeps a node in a shared store's cluster: renews its lease several times per lease, delivers the
/// cancels the heartbeat finds (the fallback when a notification was lost), and rejoins when the
/// cluster gave the node up, stopping the handlers whose jobs another node already ended.
/// </summary>
internal sealed class NodeHeartbeat(
    IClusterStore cluster,
    ClusterMember member,
    IClusterSignals signals,
    Func<(int Running, int Claimed)> load,
    Action onLost,
    JobwrightMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    // Several beats per lease, so that one late or failed beat does not lose the node.
    private const int BeatsPerLease = 6;

    public TimeSpan Interval { get; } = cluster.Lease / BeatsPerLease;

    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await cluster.JoinAsync(member, signals, cancellationToken).ConfigureAwait(false);
        metrics.JoinedCluster();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await BeatAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public async Task LeaveAsync()
    {
        try
        {
            await cluster.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            // The lease runs out on its own; the node's jobs have all ended or been released.
            Log.LeaveFailed(logger, member.Name, e);
        }
    }

    private async Task BeatAsync(CancellationToken stopping)
    {
        try
        {
            var (running, claimed) = load();
            var beat = await cluster.HeartbeatAsync(running, claimed, stopping).ConfigureAwait(false);
            foreach (var rescued in beat.RescuedNodes)
            {
                Log.RescuedNode(logger, rescued);
            }

            if (beat.RescuedNodes.Count + (beat.Lost ? 1 : 0) is > 0 and var lost)
            {
                metrics.NodesLost(lost);
            }

            if (beat.Lost)
            {
                Log.NodeLost(logger, member.Name);
                onLost();
                await cluster.JoinAsync(member, signals, stopping).ConfigureAwait(false);
                Log.Rejoined(logger, member.Name);
                return;
            }

            metrics.LeaseRenewed();
            foreach (var jobId in beat.CancelRequested)
            {
                signals.CancelRequested(jobId);
            }

            // A notification may have been lost while the store was away: look for work anyway.
            signals.WorkAvailable();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (StoreUnavailableException e)
        {
            Log.HeartbeatFailed(logger, member.Name, e.Message);
        }
        catch (Exception e)
        {
            Log.HeartbeatError(logger, member.Name, e);
        }
    }
}
