using Jobwright.Diagnostics;
using Jobwright.Hosting;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwright.PostgreSql;

/// <summary>Chooses the PostgreSQL store for a node.</summary>
public static class PostgresJobwrightOptionsExtensions
{
    /// <summary>
    /// Stores jobs in the PostgreSQL database at <paramref name="connectionString"/> (a postgres:// URL or an
    /// Npgsql connection string), shared with every other node given the same database and <paramref name="schema"/>.
    /// A node stays live without a heartbeat for <paramref name="lease"/> (30 s when null).
    /// </summary>
    public static JobwrightOptions UsePostgres(this JobwrightOptions options, string connectionString, string schema = "public", TimeSpan? lease = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storeOptions = new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema, Lease = lease ?? TimeSpan.FromSeconds(30) };
        storeOptions.Validate();
        options.RequirePrivateKeyFile = true;
        options.StoreFactory = services => new PostgresJobStore(
            storeOptions,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<JobChangeFeed>(),
            services.GetRequiredService<ILogger<PostgresJobStore>>())
        {
            Metrics = services.GetService<JobwrightMetrics>() is { Enabled: true } metrics ? metrics : null,
        };
        return options;
    }
}
