using Microsoft.Extensions.Logging;

namespace Jobwright.Server;

/// <summary>The server's log messages. Event ids: 1xxx API.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Error, "Unexpected error answering {Method} {Path}")]
    public static partial void UnexpectedError(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(1001, LogLevel.Information, "Jobwright node {Node} listening on {Url} (store: {Store})")]
    public static partial void Listening(ILogger logger, string node, string url, string store);
}
