using Jobwright.Hosting;
using Jobwright.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Jobwright.PostgreSql;

/// <summary>Chooses the PostgreSQL store for a node.</summary>
public static class PostgresJobwrightOptionsExtensions
{
    /// <summary>
    /// Stores jobs in the PostgreSQL database at <paramref name="connectionString"/> (a postgres:// URL or an
    /// Npgsql connection string), shared with every other node given the same database.
    /// </summary>
    public static JobwrightOptions UsePostgres(this JobwrightOptions options, string connectionString, Action<PostgresStoreSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new PostgresStoreSettings();
        configure?.Invoke(settings);
        var storeOptions = new PostgresStoreOptions { ConnectionString = connectionString, Schema = settings.Schema, Lease = settings.Lease };
        storeOptions.Validate();
        options.StoreFactory = services => new PostgresJobStore(
            storeOptions,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<JobChangeFeed>());
        return options;
    }
}

/// <summary>The settings of <see cref="PostgresJobwrightOptionsExtensions.UsePostgres"/> besides the connection.</summary>
public sealed class PostgresStoreSettings
{
    /// <summary>The schema of Jobwright's tables; every node of a cluster uses the same one.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>How long a node stays live without a heartbeat.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
}
