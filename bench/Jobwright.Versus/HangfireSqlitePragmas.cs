using Hangfire.Storage.SQLite;

namespace Jobwright.Versus;

/// <summary>Reads back the journal mode and <c>synchronous</c> setting of Hangfire.Storage.SQLite's own connection.</summary>
internal static class HangfireSqlitePragmas
{
    public static string Read(SQLiteStorage storage)
    {
        var context = storage.CreateAndOpenConnection();
        var journal = context.Database.ExecuteScalar<string>("PRAGMA journal_mode");
        var synchronous = context.Database.ExecuteScalar<long>("PRAGMA synchronous");
        return $"{journal}, synchronous={synchronous}";
    }
}
