using Jobwright.Status;

namespace Jobwright.Cli;

/// <summary>One colour per status and a mark per task status, used by every view of the command line.</summary>
internal static class StatusStyles
{
    public static string Colour(JobStatus status) => status switch
    {
        JobStatus.NotStarted => "grey",
        JobStatus.Running => "blue",
        JobStatus.CompletedOk => "green",
        JobStatus.CompletedWithWarnings => "yellow",
        JobStatus.CompletedWithError => "darkorange",
        JobStatus.FailedBeforeCompletionRetry => "orange1",
        JobStatus.CanceledBeforeStart or JobStatus.CanceledWhileRunning => "purple",
        _ => "red",
    };

    public static (string Mark, string Colour) Task(JobTaskStatus status) => status switch
    {
        JobTaskStatus.Ok => ("✔", "green"),
        JobTaskStatus.Warning => ("!", "yellow"),
        JobTaskStatus.Failed => ("✖", "red"),
        JobTaskStatus.Skipped => ("-", "grey"),
        _ => ("⊘", "purple"),
    };
}
