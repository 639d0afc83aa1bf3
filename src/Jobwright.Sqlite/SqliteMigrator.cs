using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Applies the numbered embedded migrations (<c>NNN_name.sql</c>) in order, each in its own transaction.</summary>
internal static class SqliteMigrator
{
    private const string Prefix = "Jobwright.Sqlite.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Known { get; } = EmbeddedMigrations.Load(typeof(SqliteMigrator).Assembly, Prefix);

    public static void Apply(SqliteConnection connection, long nowMs)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        using var transaction = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, transaction);
        var newest = Known[^1].Version;
        if (current > newest)
        {
            throw new InvalidOperationException(EmbeddedMigrations.TooNew(current, newest, "use another database file"));
        }

        foreach (var (version, name, sql) in Known.Where(m => m.Version > current))
        {
            Execute(connection, transaction, sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", name);
            record.Parameters.AddWithValue("$t", nowMs);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static long CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
