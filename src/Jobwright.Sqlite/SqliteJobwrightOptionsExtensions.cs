using Jobwright.Diagnostics;
using Jobwright.Hosting;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jobwright.Sqlite;

/// <summary>Chooses the SQLite store for a node.</summary>
public static class SqliteJobwrightOptionsExtensions
{
    /// <summary>Stores jobs in the SQLite file at <paramref name="path"/> (created when missing).</summary>
    public static JobwrightOptions UseSqlite(this JobwrightOptions options, string path, string synchronous = "FULL")
    {
        ArgumentNullException.ThrowIfNull(options);
        var storeOptions = new SqliteStoreOptions { Path = path, Synchronous = synchronous };
        storeOptions.Validate();
        options.SecretKeyPath = path + ".key";
        options.StoreFactory = services => new SqliteJobStore(
            storeOptions,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<JobChangeFeed>(),
            services.GetRequiredService<ILogger<SqliteJobStore>>())
        {
            Metrics = services.GetService<JobwrightMetrics>() is { Enabled: true } metrics ? metrics : null,
        };
        return options;
    }
}
