using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Applies the numbered embedded migrations (<c>NNN_name.sql</c>) in order, each in its own transaction.</summary>
internal static partial class SqliteMigrator
{
    private const string Prefix = "Jobwright.Sqlite.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Known { get; } = Load();

    public static void Apply(SqliteConnection connection, long nowMs)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        using var transaction = connection.BeginTransaction(deferred: false);
        var current = CurrentVersion(connection, transaction);
        var newest = Known[^1].Version;
        if (current > newest)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this Jobwright knows ({newest}). Upgrade Jobwright, or use another database file.");
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

    private static (int, string, string)[] Load()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => (Resource: n, Match: MigrationName().Match(n[Prefix.Length..])))
            .Where(m => m.Match.Success)
            .Select(m => (
                int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture),
                m.Match.Groups[2].Value,
                Read(assembly, m.Resource)))
            .OrderBy(m => m.Item1)
            .ToArray();
        if (migrations.Length == 0 || migrations.Select((m, i) => m.Item1 != i + 1).Any(gap => gap))
        {
            throw new InvalidOperationException("The SQLite migrations must be numbered 001, 002, … without gaps.");
        }

        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\d{3})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
