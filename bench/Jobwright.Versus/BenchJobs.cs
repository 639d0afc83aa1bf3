using Jobwright.Handlers;

namespace Jobwright.Versus;

/// <summary>The same two jobs for both systems: one that does nothing, one that waits for its cancel.</summary>
public static class BenchJobs
{
    /// <summary>Hangfire's no-op job.</summary>
    public static void NoOp(long key) => Marks.Started(key);

    /// <summary>Hangfire's job that waits for its cancellation token (Hangfire fires it when the job is deleted).</summary>
    public static async Task WaitForCancel(long key, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => Marks.Canceled(key));
        Marks.Started(key);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>Jobwright's no-op job.</summary>
internal sealed class NoOpHandler : IJobHandler
{
    public Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        Marks.Started(context.Parameters.Get<long>("key"));
        return Task.FromResult(JobOutcome.Completed());
    }
}

/// <summary>Jobwright's job that waits for its cancel.</summary>
internal sealed class WaitForCancelHandler : IJobHandler
{
    public async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var key = context.Parameters.Get<long>("key");
        using var registration = cancellationToken.Register(() => Marks.Canceled(key));
        Marks.Started(key);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return JobOutcome.Completed();
    }
}
