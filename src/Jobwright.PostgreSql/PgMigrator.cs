using Jobwright.Storage;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>
/// Applies the numbered embedded migrations, each in its own transaction, under an advisory lock so
/// that nodes starting together migrate once; refuses a schema newer than this build knows. Then the
/// server-side functions (<c>Functions/*.sql</c>, each the one definition of its function) are applied
/// whenever one changed or a migration ran, so that a function is never copied into a migration again.
/// </summary>
internal static class PgMigrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Known { get; } =
        EmbeddedMigrations.Load(typeof(PgMigrator).Assembly, "Jobwright.PostgreSql.Migrations.");

    private const string FunctionPrefix = "Jobwright.PostgreSql.Functions.";

    private static IReadOnlyList<(string Name, string Sql)> Functions { get; } = typeof(PgMigrator).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(FunctionPrefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(n => (n[FunctionPrefix.Length..], Read(n)))
        .ToArray();

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

            var migrated = false;
            foreach (var (version, name, sql) in Known.Where(m => m.Version > current))
            {
                migrated = true;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
                record.Parameters.AddWithValue(version);
                record.Parameters.AddWithValue(name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            await ApplyFunctionsAsync(connection, migrated, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext('jobwright_migrate'))", CancellationToken.None).ConfigureAwait(false);
        }
    }

    // A migration may have put an older version of a function in place (the ones before Functions/ existed did):
    // after any migration every function is applied again; otherwise only one whose text changed.
    private static async Task ApplyFunctionsAsync(NpgsqlConnection connection, bool migrated, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_functions (name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
        foreach (var (name, sql) in Functions)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql)));
            await using (var stored = new NpgsqlCommand("SELECT sha256 FROM schema_functions WHERE name = $1", connection))
            {
                stored.Parameters.AddWithValue(name);
                if (!migrated && await stored.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string == hash)
                {
                    continue;
                }
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand(
                "INSERT INTO schema_functions (name, sha256) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()", connection);
            record.Parameters.AddWithValue(name);
            record.Parameters.AddWithValue(hash);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Read(string resource)
    {
        using var stream = typeof(PgMigrator).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
