using Jobwright.TestSupport;

namespace Jobwright.PostgreSql.Tests;

/// <summary>One database on the private server for this test assembly; each store under test gets its own schema in it.</summary>
internal static class PostgresDatabase
{
    private static readonly Lazy<Task<string>> Database = new(async () => await (await PostgresServer.Shared).CreateDatabaseAsync("conformance"));

    public static Task<string> ConnectionStringAsync() => Database.Value;

    public static string NewSchema() => "s" + Guid.NewGuid().ToString("N")[..16];
}
