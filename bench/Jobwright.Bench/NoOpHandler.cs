using System.Diagnostics;
using Jobwright.Handlers;

namespace Jobwright.Bench;

/// <summary>Does nothing but note, as its first instruction, when it began.</summary>
internal sealed class NoOpHandler(StartTimes starts) : IJobHandler
{
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        starts.Record(context.JobId, Stopwatch.GetTimestamp());
        return Task.FromResult(JobOutcome.Completed());
    }
}
