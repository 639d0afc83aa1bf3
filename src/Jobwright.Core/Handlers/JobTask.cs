using Jobwright.Status;

namespace Jobwright.Handlers;

/// <summary>A task running inside a job; its outcome becomes an entry of <c>Progress.CompletedTasks</c>.</summary>
public sealed class JobTask
{
    private readonly JobContext _context;

    internal JobTask(JobContext context, string name, DateTimeOffset started)
    {
        _context = context;
        Name = name;
        TimeStarted = started;
    }

    /// <summary>The task's name.</summary>
    public string Name { get; }

    /// <summary>When the task began.</summary>
    public DateTimeOffset TimeStarted { get; }

    internal JobTaskStatus? ExplicitStatus { get; private set; }

    internal string? Message { get; private set; }

    /// <summary>Reports how far the task has come, 0 to 100.</summary>
    public void ReportPercent(int percent) => _context.ReportPercent(this, Math.Clamp(percent, 0, 100));

    /// <summary>Ends the task as WARNING (it still counts as succeeded) when the body returns.</summary>
    public void Warn(string message) => SetOutcome(JobTaskStatus.Warning, message);

    /// <summary>Ends the task as FAILED when the body returns, without failing the whole job.</summary>
    public void Fail(string message) => SetOutcome(JobTaskStatus.Failed, message);

    /// <summary>Attaches a note to a task that succeeds.</summary>
    public void Note(string message) => Message = message;

    private void SetOutcome(JobTaskStatus status, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ExplicitStatus = status;
        Message = message;
    }
}
