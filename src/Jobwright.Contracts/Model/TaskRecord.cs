using Jobwright.Status;

namespace Jobwright.Model;

/// <summary>A finished task of a job (an entry of <c>Progress.CompletedTasks</c>).</summary>
public sealed record TaskRecord(
    string Name,
    JobTaskStatus Status,
    DateTimeOffset? TimeStarted,
    DateTimeOffset? TimeCompleted,
    string? Message = null);
