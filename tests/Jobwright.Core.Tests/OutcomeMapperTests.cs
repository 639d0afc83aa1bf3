using Jobwright.Engine;
using Jobwright.Handlers;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Core.Tests;

public sealed class OutcomeMapperTests
{
    private static JobSnapshot Tasks(params JobTaskStatus[] statuses) => new(
        new JobProgress(statuses.Select((s, i) => new TaskRecord($"t{i}", s, null, null)).ToArray(), null, null),
        new Dictionary<string, string>(),
        []);

    [Theory]
    [InlineData(new JobTaskStatus[0], JobStatus.CompletedOk)]
    [InlineData(new[] { JobTaskStatus.Ok, JobTaskStatus.Warning }, JobStatus.CompletedOk)]
    [InlineData(new[] { JobTaskStatus.Ok, JobTaskStatus.Failed }, JobStatus.CompletedWithWarnings)]
    [InlineData(new[] { JobTaskStatus.Failed, JobTaskStatus.Failed }, JobStatus.CompletedWithError)]
    [InlineData(new[] { JobTaskStatus.Failed, JobTaskStatus.Skipped }, JobStatus.CompletedWithError)]
    [InlineData(new[] { JobTaskStatus.Ok, JobTaskStatus.Skipped }, JobStatus.CompletedOk)]
    public void A_handler_that_returns_gets_its_status_from_its_tasks(JobTaskStatus[] tasks, JobStatus expected)
    {
        var finish = OutcomeMapper.Map(new HandlerEnding.Returned(JobOutcome.Completed()), Tasks(tasks), cancelRequested: false);
        Assert.Equal(expected, finish.Status);
        Assert.Equal(expected == JobStatus.CompletedOk ? "0" : "1", finish.Snapshot.Results["returnCode"]);
    }

    [Fact]
    public void Precondition_failed_and_rerun_needed_are_COMPLETED_WITH_ERROR_and_say_which()
    {
        var precondition = OutcomeMapper.Map(new HandlerEnding.Returned(JobOutcome.PreconditionFailed("lpar is off")), Tasks(), false);
        var rerun = OutcomeMapper.Map(new HandlerEnding.Returned(JobOutcome.RerunNeeded("half done")), Tasks(), false);
        Assert.Equal(JobStatus.CompletedWithError, precondition.Status);
        Assert.Equal(JobStatus.CompletedWithError, rerun.Status);
        Assert.Contains(precondition.Snapshot.Messages, m => m.Code == "PRECONDITION_FAILED");
        Assert.Contains(rerun.Snapshot.Messages, m => m.Code == "RERUN_NEEDED");
        Assert.Contains("lpar is off", precondition.Snapshot.Results["result"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_target_is_FAILED_BEFORE_COMPLETION_RETRY_with_the_retry_hint_in_whole_seconds()
    {
        var finish = OutcomeMapper.Map(new HandlerEnding.Returned(JobOutcome.TargetBusy(TimeSpan.FromSeconds(29.2), "VIOS busy")), Tasks(), false);
        Assert.Equal(JobStatus.FailedBeforeCompletionRetry, finish.Status);
        Assert.Equal(30, finish.RetryAfterSeconds);
    }

    [Fact]
    public void A_thrown_exception_is_FAILED_BEFORE_COMPLETION_with_the_error()
    {
        var finish = OutcomeMapper.Map(new HandlerEnding.Threw(new InvalidOperationException("boom")), Tasks(JobTaskStatus.Ok), false);
        Assert.Equal(JobStatus.FailedBeforeCompletion, finish.Status);
        Assert.Equal("boom", finish.Error!.Message);
        Assert.Equal("boom", finish.Snapshot.Results["result"]);
    }

    [Fact]
    public void A_stop_by_cancel_is_CANCELED_WHILE_RUNNING_and_a_timeout_or_shutdown_is_FAILED_BEFORE_COMPLETION()
    {
        Assert.Equal(JobStatus.CanceledWhileRunning, OutcomeMapper.Map(new HandlerEnding.Stopped(StopCause.Cancel, null), Tasks(), true).Status);
        var timeout = OutcomeMapper.Map(new HandlerEnding.Stopped(StopCause.Timeout, TimeSpan.FromSeconds(5)), Tasks(), false);
        Assert.Equal(JobStatus.FailedBeforeCompletion, timeout.Status);
        Assert.Equal("timed out after 5s", timeout.Error!.Message);
        var shutdown = OutcomeMapper.Map(new HandlerEnding.Stopped(StopCause.Shutdown, null), Tasks(), false);
        Assert.Equal(OutcomeMapper.InterruptedMessage, shutdown.Error!.Message);
    }

    [Fact]
    public void A_handler_that_finishes_despite_a_cancel_keeps_its_outcome_and_is_told_the_cancel_came_too_late()
    {
        var finish = OutcomeMapper.Map(new HandlerEnding.Returned(JobOutcome.Completed()), Tasks(JobTaskStatus.Ok), cancelRequested: true);
        Assert.Equal(JobStatus.CompletedOk, finish.Status);
        Assert.Contains(finish.Snapshot.Messages, m => m.Code == "CANCEL_TOO_LATE");
    }

    [Fact]
    public void Every_mapped_status_is_a_legal_end_of_a_running_job()
    {
        HandlerEnding[] endings =
        [
            new HandlerEnding.Returned(JobOutcome.Completed()), new HandlerEnding.Returned(JobOutcome.PreconditionFailed("x")),
            new HandlerEnding.Returned(JobOutcome.RerunNeeded("x")), new HandlerEnding.Returned(JobOutcome.TargetBusy(TimeSpan.Zero, "x")),
            new HandlerEnding.Threw(new InvalidOperationException()), new HandlerEnding.Stopped(StopCause.Cancel, null),
            new HandlerEnding.Stopped(StopCause.Timeout, null), new HandlerEnding.Stopped(StopCause.Shutdown, null),
        ];
        Assert.All(endings, e => Assert.True(JobStatuses.CanTransition(JobStatus.Running, OutcomeMapper.Map(e, Tasks(), false).Status)));
    }
}
