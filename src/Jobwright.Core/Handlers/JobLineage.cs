using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Handlers;

/// <summary>What a complete or a revert job knows of the job it finishes: its id and its tasks' outcomes.</summary>
internal sealed record JobLineage(long? Resumes, long? Reverts, IReadOnlyList<TaskRecord> OriginalTasks)
{
    public static readonly JobLineage None = new(null, null, []);

    /// <summary>The job this one continues or undoes.</summary>
    public long? Original => Resumes ?? Reverts;

    /// <summary>Whether the task of that name ended OK in the job being completed (so it is skipped).</summary>
    public bool DoneBefore(string taskName) =>
        Resumes is not null && OriginalTasks.Any(t => t.Status == JobTaskStatus.Ok && string.Equals(t.Name, taskName, StringComparison.Ordinal));

    /// <summary>The tasks a revert undoes: those that ended OK in the reverted job, last first.</summary>
    public IReadOnlyList<TaskRecord> ToRevert() =>
        Reverts is null ? [] : [.. OriginalTasks.Where(t => t.Status == JobTaskStatus.Ok).Reverse()];
}
