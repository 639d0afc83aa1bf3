using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>Settings of the PostgreSQL store.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, or a <c>postgres://user:password@host:port/database</c> URL.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The schema that holds Jobwright's tables (created when missing). Nodes of one cluster use the same schema.</summary>
    public string Schema { get; init; } = "public";

    /// <summary>How long a node stays live without a heartbeat; it beats six times per lease.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws with a message that names the option and the fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException("The PostgreSQL connection string is empty: give postgres://user:password@host:port/database.");
        }

        _ = PostgresConnectionString.Parse(ConnectionString);
        if (string.IsNullOrWhiteSpace(Schema) || !Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new InvalidOperationException($"PostgresStoreOptions.Schema '{Schema}' is not a plain name: use lower-case letters, digits and '_'.");
        }

        if (Lease < TimeSpan.FromSeconds(1) || Lease > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException($"PostgresStoreOptions.Lease is {Lease}: use 1 second to 1 hour.");
        }
    }

    internal NpgsqlConnectionStringBuilder Builder()
    {
        var builder = PostgresConnectionString.Parse(ConnectionString);
        builder.SearchPath = Schema;
        builder.ApplicationName ??= "jobwright";
        // Jobwright's connections change no session state, so a pooled connection need not be reset
        // (a DISCARD ALL round trip) each time it is returned.
        builder.NoResetOnClose = true;
        // Jobwright's statements are short; compiling one with LLVM (PostgreSQL's JIT) costs 50-100 ms,
        // far more than running it (seen on the heartbeat: 88 ms of JIT for a 0.1 ms query).
        builder.Options = ((builder.Options ?? string.Empty) + " -c jit=off").Trim();
        return builder;
    }
}
