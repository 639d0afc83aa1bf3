using System.Text.Json.Nodes;
using Jobwright.Cli;
using Jobwright.Model;
using Jobwright.Status;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Jobwright.Server.Tests;

/// <summary>The terminal view of a job, rendered on Spectre's test console.</summary>
public sealed class JobViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static JobRecord Job(JobStatus status, CurrentTask? current = null, NotStartedReason? reason = null) => new()
    {
        JobId = 42,
        Status = status,
        Operation = "Migrate",
        Group = "LogicalPartition",
        Target = "lpar-[3]",
        Parameters = new JsonObject(),
        TimeSubmitted = T0,
        NotStartedReason = reason,
        Progress = new JobProgress(
            [
                new TaskRecord("Validate migration", JobTaskStatus.Ok, T0, T0.AddSeconds(1.5)),
                new TaskRecord("Move storage mappings", JobTaskStatus.Failed, T0.AddSeconds(2), T0.AddSeconds(3), "vscsi2 busy [on sys-b]"),
            ],
            current,
            0.5),
    };

    [Fact]
    public void A_running_job_shows_finished_tasks_with_marks_and_the_current_task_with_its_percent()
    {
        var console = new TestConsole();
        console.Write(JobView.Render(Job(JobStatus.Running, new CurrentTask("Transfer memory pages", 40, T0.AddSeconds(3))), TimeSpan.FromSeconds(65.3)));
        var lines = console.Lines;
        Assert.Equal("Job 42 LogicalPartition/Migrate on lpar-[3]  01:05.3", lines[0]);
        Assert.Equal("  ✔ Validate migration 00:01.5", lines[1]);
        Assert.Equal("  ✖ Move storage mappings 00:01.0 — vscsi2 busy [on sys-b]", lines[2]);
        Assert.Equal("  › Transfer memory pages ████████░░░░░░░░░░░░ 40%", lines[3]);
        Assert.Equal("Status: RUNNING", lines[4]);
    }

    [Fact]
    public void A_waiting_job_shows_why_it_has_not_started()
    {
        var console = new TestConsole();
        console.Write(JobView.Render(Job(JobStatus.NotStarted, reason: new NotStartedReason("TARGET_BUSY", "target 'LogicalPartition/lpar-3' is held by job 41", 41)), TimeSpan.Zero));
        Assert.Contains("  TARGET_BUSY: target 'LogicalPartition/lpar-3' is held by job 41", console.Lines);
    }

    [Fact]
    public void The_final_status_is_shown_in_its_colour()
    {
        var console = new TestConsole().Colors(ColorSystem.Standard).EmitAnsiSequences();
        console.Write(JobView.Render(Job(JobStatus.CompletedWithWarnings), TimeSpan.FromSeconds(3)));
        var yellow = "\u001b[93m";
        Assert.Contains(yellow + "COMPLETED_WITH_WARNINGS", console.Output, StringComparison.Ordinal);

        var plain = new TestConsole().Colors(ColorSystem.NoColors).EmitAnsiSequences();
        plain.Write(JobView.Render(Job(JobStatus.CompletedWithWarnings), TimeSpan.FromSeconds(3)));
        Assert.DoesNotContain("\u001b[9", plain.Output, StringComparison.Ordinal);
    }
}
