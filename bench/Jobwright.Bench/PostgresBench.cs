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
        List<double> CrossNodeCancels,
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
                // Every transaction of the run's database counts, the node's start and stop included: a
                // backend reports its counters when it ends, so they are read after the node closed its connections.
                var database = await CreateDatabaseAsync(adminConnectionString);
                var before = await CommitsAsync(adminConnectionString, database);
                var node = await BenchNode.StartPostgresAsync(workers, database);
                var (rate, _) = await Throughput.RunAsync(node, jobs);
                await node.DisposeAsync();
                // The node's backends report their last counters as they end, a moment after it let go.
                await Task.Delay(TimeSpan.FromSeconds(1));
                var after = await CommitsAsync(adminConnectionString, database);
                throughputs.Add(rate);
                commits.Add((after - before) / (double)jobs);
            }

            List<double> latencies;
            await using (var node = await BenchNode.StartPostgresAsync(workers, await CreateDatabaseAsync(adminConnectionString)))
            {
                latencies = await Latency.RunAsync(node, latencySamples);
            }

            // Two nodes on one database: the job runs on the first (the second serves no operation) and is
            // canceled through the second, which tells the first by a notification.
            List<double> crossNodeCancels;
            var clusterDatabase = await CreateDatabaseAsync(adminConnectionString);
            await using (var runner = await BenchNode.StartPostgresAsync(workers, clusterDatabase, "bench-a"))
            await using (var other = await BenchNode.StartPostgresAsync(workers, clusterDatabase, "bench-b", withOperations: false))
            {
                crossNodeCancels = await CancelLatency.RunAsync(runner, latencySamples, through: other);
            }

            var idleDatabase = await CreateDatabaseAsync(adminConnectionString);
            double idleQueries;
            await using (var node = await BenchNode.StartPostgresAsync(workers, idleDatabase))
            {
                try
                {
                    idleQueries = await IdleQueriesPerSecondAsync(adminConnectionString, idleDatabase);
                }
                catch (PostgresException e)
                {
                    // A server of the user's without pg_stat_statements in shared_preload_libraries.
                    Console.Error.WriteLine("idle queries not measured: " + e.MessageText);
                    idleQueries = double.NaN;
                }
            }

            return new Result(throughputs, commits, latencies, crossNodeCancels, idleQueries, settings);
        }
        finally
        {
            if (privateServer is not null)
            {
                await privateServer.DisposeAsync();
            }
        }
    }

    // pg_stat_statements counts each statement the moment it ends (pg_stat_database only when a backend
    // reports, up to 10 s later): the statements the node's database saw in 10 s with nothing to do.
    private static async Task<double> IdleQueriesPerSecondAsync(string admin, string database)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
        {
            await extension.ExecuteNonQueryAsync();
        }

        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = await StatementsAsync(connection, name);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var after = await StatementsAsync(connection, name);
        return (after - before) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> StatementsAsync(NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1", connection);
        command.Parameters.AddWithValue(database);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CommitsAsync(string admin, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(xact_commit, 0) FROM pg_stat_database WHERE datname = $1", connection);
        command.Parameters.AddWithValue(name!);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> SettingsAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> CreateDatabaseAsync(string admin)
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
