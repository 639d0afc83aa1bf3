using System.Net.Sockets;
using Jobwright.Storage;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>Tells an unreachable or restarting server (a <see cref="StoreUnavailableException"/>) from a real error.</summary>
internal static class PgErrors
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin shutdown, crash shutdown, cannot connect now
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal), // insufficient resources (too many connections)
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    public static Exception Translate(Exception exception) =>
        IsUnavailable(exception) ? new StoreUnavailableException("PostgreSQL cannot be reached: " + exception.Message, exception) : exception;
}
