using System.Globalization;
using Jobwright.Model;
using Jobwright.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Jobwright.Cli;

/// <summary>A job drawn for a terminal: finished tasks with their marks, the current task with its percent, elapsed time, the status.</summary>
internal static class JobView
{
    public static IRenderable Render(JobRecord job, TimeSpan elapsed)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]Job {job.JobId}[/] {Markup.Escape($"{job.Group}/{job.Operation}")}{(job.Target is null ? string.Empty : " on " + Markup.Escape(job.Target))}  [grey]{Format(elapsed)}[/]"),
        };

        foreach (var task in job.Progress.CompletedTasks)
        {
            var (mark, colour) = StatusStyles.Task(task.Status);
            var took = task is { TimeStarted: { } started, TimeCompleted: { } completed } ? $" [grey]{Format(completed - started)}[/]" : string.Empty;
            var message = task.Message is null ? string.Empty : $" [grey]— {Markup.Escape(task.Message)}[/]";
            rows.Add(new Markup($"  [{colour}]{mark}[/] {Markup.Escape(task.Name)}{took}{message}"));
        }

        if (job.Progress.CurrentTask is { } current)
        {
            var percent = current.Percent ?? 0;
            var bar = new string('█', percent / 5) + new string('░', 20 - (percent / 5));
            var shown = current.Percent is null ? string.Empty : $" {bar} {percent}%";
            rows.Add(new Markup($"  [blue]›[/] {Markup.Escape(current.Name)}{shown}"));
        }

        var status = $"[{StatusStyles.Colour(job.Status)}]{job.Status.ToWire()}[/]";
        if (job.CancelRequested && !job.Status.IsTerminal())
        {
            status += " [purple](cancel requested)[/]";
        }

        rows.Add(new Markup("Status: " + status));
        if (job.NotStartedReason is { } reason)
        {
            rows.Add(new Markup($"  [grey]{reason.Code}: {Markup.Escape(reason.Message)}[/]"));
        }

        if (job.Status.IsTerminal())
        {
            if (job.Error is { } error)
            {
                rows.Add(new Markup($"  [red]{Markup.Escape(error.Message)}[/]"));
            }

            if (job.RetryAfterSeconds is { } retry)
            {
                rows.Add(new Markup($"  retry after {retry}s"));
            }

            foreach (var message in job.Messages)
            {
                rows.Add(new Markup($"  [grey]{message.Severity.ToString().ToUpperInvariant()} {Markup.Escape(message.Code)}: {Markup.Escape(message.Text)}[/]"));
            }
        }

        if (ResolutionText.Of(job) is { } resolution)
        {
            rows.Add(new Markup($"  [blue]{Markup.Escape(resolution)}[/]"));
        }

        return new Rows(rows);
    }

    public static string Format(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1
            ? elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : elapsed.ToString(@"mm\:ss\.f", CultureInfo.InvariantCulture);
}
