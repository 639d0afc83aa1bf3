using Npgsql;

namespace Jobwright.Versus;

/// <summary>
/// Commits (pg_stat_database) and statements (pg_stat_statements) of one database. A backend reports
/// its commit counters when it ends, so the after-reading is taken once the system closed its connections.
/// </summary>
internal sealed class PgCounters(string admin)
{
    public async Task<(long Commits, long Statements)> ReadAsync(string database)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT COALESCE(xact_commit, 0) FROM pg_stat_database WHERE datname = $1), " +
            "(SELECT COALESCE(sum(s.calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1)",
            connection);
        command.Parameters.AddWithValue(database);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "versus_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
        {
            await extension.ExecuteNonQueryAsync();
        }

        return name;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString();

    public async Task<string> DurabilityAsync()
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')",
            connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
