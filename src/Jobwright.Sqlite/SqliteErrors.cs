using Jobwright.Storage;

namespace Jobwright.Sqlite;

/// <summary>The SQLite result codes the store tells apart.</summary>
internal static class SqliteErrors
{
    /// <summary>SQLITE_IOERR: the operating system refused a read or write.</summary>
    public const int IoError = 10;

    /// <summary>SQLITE_FULL: the disk (or the file system's quota) is full.</summary>
    public const int Full = 13;

    /// <summary>SQLITE_CORRUPT: the file is damaged.</summary>
    public const int Corrupt = 11;

    /// <summary>SQLITE_NOTADB: the file is not a database.</summary>
    public const int NotADatabase = 26;

    /// <summary>
    /// A write refused for want of space or by the disk is the store being unavailable, not a bug: the
    /// API answers 503 with Retry-After, the engine retries, and nothing is acknowledged meanwhile.
    /// </summary>
    public static Exception ForWrite(Exception error, string path) =>
        error is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: Full or IoError } sqlite
            ? new StoreUnavailableException(
                sqlite.SqliteErrorCode == Full
                    ? $"The SQLite database {path} cannot be written: its disk is full. Free space there; the node carries on by itself."
                    : $"The SQLite database {path} cannot be written: the disk refused it ({sqlite.Message}).",
                sqlite)
            : error;
}
