namespace Jobwright.Engine;

/// <summary>A node as the API shows it.</summary>
public sealed record NodeInfo(
    string Name,
    string Version,
    string Store,
    int WorkerSlots,
    int JobsRunning,
    int JobsClaimed,
    bool TakingWork,
    DateTimeOffset StartedAt);
