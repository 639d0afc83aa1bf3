using System.Reflection;

namespace Jobwright.Model;

/// <summary>A node as the API shows it.</summary>
public sealed record NodeInfo(
    string Name,
    string Version,
    string Store,
    int WorkerSlots,
    int JobsRunning,
    int JobsClaimed,
    bool TakingWork,
    DateTimeOffset StartedAt)
{
    /// <summary>The version of Jobwright this process runs.</summary>
    public static string CurrentVersion { get; } =
        typeof(NodeInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The machine the node runs on (shown for the nodes of a shared store).</summary>
    public string? Host { get; init; }

    /// <summary>The node's process id (shown for the nodes of a shared store).</summary>
    public int? ProcessId { get; init; }

    /// <summary>The operations the node serves, as <c>Group/Name</c> (shown for the nodes of a shared store).</summary>
    public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>When its last heartbeat reached the store (shared store only).</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>When it will be given up for lost unless it beats again, by the store's clock (shared store only).</summary>
    public DateTimeOffset? LeaseExpires { get; init; }
}
