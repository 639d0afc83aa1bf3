namespace Jobwright.Model;

/// <summary>What a running job has reported so far: progress, results and messages.</summary>
public sealed record JobSnapshot(
    JobProgress Progress,
    IReadOnlyDictionary<string, string> Results,
    IReadOnlyList<JobMessage> Messages);
