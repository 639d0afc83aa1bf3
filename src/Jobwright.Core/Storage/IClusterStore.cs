namespace Jobwright.Storage;

/// <summary>
/// A store shared by several nodes. Each node holds a lease that its heartbeats renew; the store judges
/// expiry by its own clock. A node whose lease ran out is lost: one node at a time rescues what it left
/// (its RUNNING jobs end FAILED_BEFORE_COMPLETION, its claimed jobs return to the queue).
/// </summary>
public interface IClusterStore
{
    /// <summary>How long a node stays live without a heartbeat.</summary>
    TimeSpan Lease { get; }

    /// <summary>
    /// Registers this node (taking over the name from an earlier run of it, whose leftovers are rescued at
    /// once) and starts telling <paramref name="signals"/> of work and cancels made on other nodes.
    /// </summary>
    Task JoinAsync(ClusterMember member, IClusterSignals signals, CancellationToken cancellationToken);

    /// <summary>Renews this node's lease, rescues lost nodes when this node is elected, and reports cancels of jobs running here.</summary>
    Task<Heartbeat> HeartbeatAsync(int jobsRunning, int jobsClaimed, CancellationToken cancellationToken);

    /// <summary>Removes this node from the cluster (it has no jobs left).</summary>
    Task LeaveAsync(CancellationToken cancellationToken);

    /// <summary>The live nodes.</summary>
    Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken);
}

/// <summary>What a node tells the cluster about itself when it joins.</summary>
/// <param name="Name">The node's name, unique among live nodes.</param>
/// <param name="Version">The Jobwright version it runs.</param>
/// <param name="WorkerSlots">Its worker slots.</param>
/// <param name="Operations">The operations it serves, as <c>Group/Name</c>.</param>
public sealed record ClusterMember(string Name, string Version, int WorkerSlots, IReadOnlyList<string> Operations);

/// <summary>A live node as the store sees it.</summary>
public sealed record ClusterNode(
    string Name,
    string Host,
    int ProcessId,
    string Version,
    int WorkerSlots,
    IReadOnlyList<string> Operations,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    DateTimeOffset LeaseExpires,
    int JobsRunning,
    int JobsClaimed);

/// <summary>What a heartbeat learned.</summary>
/// <param name="Lost">The cluster had given this node up (its lease ran out) and rescued its jobs; the node must rejoin.</param>
/// <param name="CancelRequested">Jobs running on this node whose cancel was asked for.</param>
/// <param name="RescuedNodes">Lost nodes this heartbeat rescued.</param>
public sealed record Heartbeat(bool Lost, IReadOnlyList<long> CancelRequested, IReadOnlyList<string> RescuedNodes);

/// <summary>How a shared store tells a node about changes other nodes made.</summary>
public interface IClusterSignals
{
    /// <summary>A job may be ready to claim (one was submitted, or a target or slot was freed).</summary>
    void WorkAvailable();

    /// <summary>A cancel was asked for a job that may run on this node.</summary>
    void CancelRequested(long jobId);
}
