using System.Diagnostics;
using Jobwright.Handlers;

namespace Jobwright.Bench;

/// <summary>Waits until canceled, noting when it began and when its token fired.</summary>
internal sealed class WaitForCancelHandler(StartTimes starts, CancelTimes cancels) : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        starts.Record(context.JobId, Stopwatch.GetTimestamp());
        using var registration = cancellationToken.Register(() => cancels.Record(context.JobId, Stopwatch.GetTimestamp()));
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return JobOutcome.Completed();
    }
}
