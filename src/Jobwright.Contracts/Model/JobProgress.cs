namespace Jobwright.Model;

/// <summary>A job's progress: finished tasks, the task now running, and the overall fraction.</summary>
public sealed record JobProgress(IReadOnlyList<TaskRecord> CompletedTasks, CurrentTask? CurrentTask, double? Fraction)
{
    /// <summary>No tasks yet.</summary>
    public static JobProgress Empty { get; } = new([], null, null);
}
