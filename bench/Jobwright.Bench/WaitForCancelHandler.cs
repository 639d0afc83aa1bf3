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
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The token runs the delay's callback before this registration's (last registered, first run), and this
            // method can go on inline from it and dispose the registration before its callback ran: noted here too.
            cancels.Record(context.JobId, Stopwatch.GetTimestamp());
            throw;
        }

        return JobOutcome.Completed();
    }
}
