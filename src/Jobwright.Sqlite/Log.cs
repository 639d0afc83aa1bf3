using Microsoft.Extensions.Logging;

namespace Jobwright.Sqlite;

/// <summary>The SQLite store's log messages. Event ids: 50xx opening, 51xx writes.</summary>
internal static partial class Log
{
    [LoggerMessage(5000, LogLevel.Information, "SQLite store ready: {Path} (synchronous={Synchronous})")]
    public static partial void Ready(ILogger logger, string path, string synchronous);

    [LoggerMessage(5001, LogLevel.Information, "SQLite store: creating a new database at {Path}")]
    public static partial void DatabaseCreated(ILogger logger, string path);

    [LoggerMessage(5002, LogLevel.Warning, "SQLite store: the database {Path} is missing, but {Sign} says a node ran on it before; a new, empty database is created. If the old one was moved or not mounted, stop this node and put it back")]
    public static partial void DatabaseMissing(ILogger logger, string path, string sign);

    [LoggerMessage(5100, LogLevel.Debug, "A batch of {Count} writes rolled back ({Reason}); each runs again on its own")]
    public static partial void BatchRetried(ILogger logger, int count, string reason);

    [LoggerMessage(5101, LogLevel.Warning, "A write failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(5102, LogLevel.Warning, "A write was refused: {Reason}")]
    public static partial void WriteUnavailable(ILogger logger, string reason);

    [LoggerMessage(5103, LogLevel.Debug, "A background checkpoint failed ({Reason}); the writer's own checkpoint copies the pages instead")]
    public static partial void CheckpointFailed(ILogger logger, string reason);

    [LoggerMessage(5104, LogLevel.Debug, "Background checkpoint: {Copied} of the WAL's {Frames} frames are in the database file (busy: {Busy})")]
    public static partial void Checkpointed(ILogger logger, long copied, long frames, bool busy);
}
