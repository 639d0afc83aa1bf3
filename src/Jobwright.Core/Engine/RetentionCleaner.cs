using Jobwright.Hosting;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Engine;

/// <summary>Removes finished jobs older than the retention in small batches, so that the store stays bounded.</summary>
internal sealed class RetentionCleaner(IJobStore store, IOptions<JobwrightOptions> options, TimeProvider time, ILogger<RetentionCleaner> logger) : INodeService
{
    // Each batch is one write among the submits (SQLite has one writer, and a batch shares its commit with them):
    // while 1,000,000 expired jobs were removed under submits at half the drain rate, 1,000 jobs a batch made those
    // submits wait up to 19 ms (p99), 100 about 6 ms and 50 no longer than the same load with nothing to remove
    // (docs/performance.md); 50 a batch still removes them in about 45 s.
    private const int Batch = 50;

    public async Task RunAsync(CancellationToken stopping)
    {
        if (options.Value.Retention is not { } retention)
        {
            return;
        }

        var interval = retention / 2 < TimeSpan.FromMinutes(1) ? retention / 2 : TimeSpan.FromMinutes(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stopping).ConfigureAwait(false);
                while (await store.PurgeAsync(time.GetUtcNow() - retention, Batch, stopping).ConfigureAwait(false) == Batch)
                {
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PurgeFailed(logger, e);
            }
        }
    }
}
