using Jobwright.Storage;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>
/// Applies the numbered embedded migrations, each in its own transaction, under an advisory lock so
/// that nodes starting together migrate once; refuses a schema newer than this build knows.
/// </summary>
internal static class PgMigrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Known { get; } =
        EmbeddedMigrations.Load(typeof(PgMigrator).Assembly, "Jobwright.PostgreSql.Migrations.");

    public static async Task ApplyAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext('jobwright_migrate'))", cancellationToken).ConfigureAwait(false);
        try
        {
            // The schema name was checked to be a plain name.
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
            await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
            var current = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            var newest = Known[^1].Version;
            if (current > newest)
            {
                throw new InvalidOperationException(EmbeddedMigrations.TooNew(current, newest, $"use another database or schema than '{schema}'"));
            }

            foreach (var (version, name, sql) in Known.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
                record.Parameters.AddWithValue(version);
                record.Parameters.AddWithValue(name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext('jobwright_migrate'))", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
