using Jobwright.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>Removes audit records older than <see cref="JobwrightSecurityOptions.AuditRetention"/>, once an hour (the first an hour after start), in batches.</summary>
internal sealed partial class AuditRetention(IAuditLog log, IOptions<JobwrightSecurityOptions> security, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!security.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            // First the wait: at start the store may not be open yet (the engine opens it as it starts).
            await Task.Delay(Every, time, stoppingToken).ConfigureAwait(false);
            try
            {
                var before = time.GetUtcNow() - security.Value.AuditRetention;
                while (await log.PurgeAuditAsync(before, 1000, stoppingToken).ConfigureAwait(false) == 1000)
                {
                }
            }
            catch (StoreUnavailableException e)
            {
                PurgeFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(1301, LogLevel.Warning, "Old audit records were not removed this time: {Reason}")]
    private static partial void PurgeFailed(ILogger logger, string reason);
}
