using System.Net;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>Reads a <c>postgres://</c> (or <c>postgresql://</c>) URL, or an Npgsql connection string, into Npgsql's builder.</summary>
public static class PostgresConnectionString
{
    /// <summary>The connection settings; throws <see cref="InvalidOperationException"/> naming what is wrong.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"The PostgreSQL connection string is not valid: {e.Message}. Use postgres://user:password@host:port/database or Npgsql's Host=...;Database=... form.", e);
            }
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException("The PostgreSQL URL is not valid: use postgres://user:password@host:port/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new InvalidOperationException("The PostgreSQL URL names no database: use postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = WebUtility.UrlDecode(parts[0]);
            var setting = parts.Length == 2 ? WebUtility.UrlDecode(parts[1]) : string.Empty;
            try
            {
                builder[key] = setting;
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"The PostgreSQL URL has an unknown setting '{key}': {e.Message}", e);
            }
        }

        return builder;
    }
}
