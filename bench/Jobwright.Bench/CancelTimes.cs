namespace Jobwright.Bench;

/// <summary>When each job's token fired (Stopwatch ticks).</summary>
internal sealed class CancelTimes
{
    private readonly StartTimes _times = new();

    public void Record(long jobId, long timestamp) => _times.Record(jobId, timestamp);

    public Task<long> WaitAsync(long jobId) => _times.WaitAsync(jobId);
}
