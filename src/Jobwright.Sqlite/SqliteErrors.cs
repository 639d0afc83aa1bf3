namespace Jobwright.Sqlite;

/// <summary>The SQLite result codes the store tells apart.</summary>
internal static class SqliteErrors
{
    /// <summary>SQLITE_CORRUPT: the file is damaged.</summary>
    public const int Corrupt = 11;

    /// <summary>SQLITE_NOTADB: the file is not a database.</summary>
    public const int NotADatabase = 26;
}
