using Jobwright.Hosting;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Engine;

/// <summary>Removes finished jobs older than the retention in small batches, so that the store stays bounded.</summary>
internal sealed class RetentionCleaner(IJobStore store, IOptions<JobwrightOptions> options, TimeProvider time, ILogger<RetentionCleaner> logger) : INodeService
{
    private const int Batch = 1000;

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
