using Microsoft.Extensions.Logging;

namespace Jobwright.PostgreSql;

/// <summary>The PostgreSQL store's log messages. Event ids: 40xx connection and notifications, 41xx writes, 42xx reads.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "PostgreSQL store ready: {Host}:{Port}, database {Database}, schema {Schema}")]
    public static partial void Ready(ILogger logger, string host, int port, string database, string schema);

    [LoggerMessage(4001, LogLevel.Warning, "The PostgreSQL change listener lost its connection ({Reason}); it reconnects in {Delay}")]
    public static partial void ListenerLost(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(4002, LogLevel.Information, "The PostgreSQL change listener is listening again")]
    public static partial void ListenerBack(ILogger logger);

    [LoggerMessage(4100, LogLevel.Warning, "PostgreSQL could not be reached for {Count} write(s) ({Reason}); they were refused as unavailable")]
    public static partial void WritesUnavailable(ILogger logger, int count, string reason);

    [LoggerMessage(4101, LogLevel.Debug, "A batch of {Count} writes rolled back ({Reason}); each runs again on its own")]
    public static partial void BatchRetried(ILogger logger, int count, string reason);

    [LoggerMessage(4102, LogLevel.Warning, "A write failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(4200, LogLevel.Debug, "A read found its pooled connection broken ({Reason}); the pool was emptied and the read tries once more")]
    public static partial void ReadRetried(ILogger logger, string reason);
}
