using System.Diagnostics;
using System.Globalization;
using Jobwright.TestSupport;
using Npgsql;

namespace Jobwright.Bench;

/// <summary>
/// One node on PostgreSQL (fsync and synchronous_commit on, read back): submit-and-run throughput with
/// the commits per job from pg_stat_database, idle submit-to-start latency, and the queries an idle node makes.
/// </summary>
internal static class PostgresBench
{
    public sealed record Result(
        List<double> Throughputs,
        List<double> CommitsPerJob,
        List<double> Latencies,
        double IdleQueriesPerSecond,
        string Settings);

    public static async Task<Result> RunAsync(string? adminConnectionString, int workers, int jobs, int repetitions, int latencySamples)
    {
        PostgresServer? privateServer = null;
        if (adminConnectionString is null)
        {
            privateServer = await PostgresServer.StartAsync();
            adminConnectionString = privateServer.AdminConnectionString;
        }

        try
        {
            var settings = await SettingsAsync(adminConnectionString);
            // One unmeasured run first, as on SQLite.
            await using (var warmup = await BenchNode.StartPostgresAsync(workers, await CreateDatabaseAsync(adminConnectionString)))
            {
                await Throughput.RunAsync(warmup, jobs);
            }

            var throughputs = new List<double>();
            var commits = new List<double>();
            for (var run = 0; run < repetitions; run++)
            {
                var database = await CreateDatabaseAsync(adminConnectionString);
                await using var node = await BenchNode.StartPostgresAsync(workers, database);
                var before = await TransactionsAsync(adminConnectionString, database);
                var (rate, _) = await Throughput.RunAsync(node, jobs);
                var after = await TransactionsAsync(adminConnectionString, database);
                throughputs.Add(rate);
                commits.Add((after.Commits - before.Commits) / (double)jobs);
            }

            List<double> latencies;
            double idleQueries;
            var idleDatabase = await CreateDatabaseAsync(adminConnectionString);
            await using (var node = await BenchNode.StartPostgresAsync(workers, idleDatabase))
            {
                latencies = await Latency.RunAsync(node, latencySamples);
                idleQueries = await IdleQueriesPerSecondAsync(adminConnectionString, idleDatabase);
            }

            return new Result(throughputs, commits, latencies, idleQueries, settings);
        }
        finally
        {
            if (privateServer is not null)
            {
                await privateServer.DisposeAsync();
            }
        }
    }

    // Every statement outside an explicit transaction is a transaction of its own, so the count of
    // transactions a database saw is the count of queries made to it.
    private static async Task<double> IdleQueriesPerSecondAsync(string admin, string database)
    {
        var window = TimeSpan.FromSeconds(10);
        await WaitForStatsAsync();
        var before = await TransactionsAsync(admin, database);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        await WaitForStatsAsync();
        var after = await TransactionsAsync(admin, database);
        return (after.Commits + after.Rollbacks - before.Commits - before.Rollbacks) / clock.Elapsed.TotalSeconds;
    }

    // A backend reports its counters to pg_stat_database at most once a second, when idle.
    private static Task WaitForStatsAsync() => Task.Delay(TimeSpan.FromMilliseconds(1500));

    private static async Task<(long Commits, long Rollbacks)> TransactionsAsync(string admin, string database)
    {
        await WaitForStatsAsync();
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = $1", connection);
        command.Parameters.AddWithValue(name!);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static async Task<string> SettingsAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> CreateDatabaseAsync(string admin)
    {
        var name = "jwbench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    public static string Format(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
