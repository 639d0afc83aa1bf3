namespace Jobwright.Cli;

/// <summary>Parses <c>--store</c>: <c>sqlite:PATH</c>, a <c>postgres://</c> URL, or an Npgsql connection string.</summary>
internal static class StoreLocation
{
    public const string Default = "sqlite:./jobwright.db";

    /// <summary>Where jobs are stored: exactly one of the two is set.</summary>
    public sealed record Parsed(string? SqlitePath, string? PostgresConnectionString);

    public static bool TryParse(string value, out Parsed location, out string? error)
    {
        location = new Parsed(null, null);
        error = null;
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && value.Length > "sqlite:".Length)
        {
            location = new Parsed(value["sqlite:".Length..], null);
            return true;
        }

        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            value.Contains("host=", StringComparison.OrdinalIgnoreCase))
        {
            error = PostgresProblem(value);
            if (error is not null)
            {
                return false;
            }

            location = new Parsed(null, value);
            return true;
        }

        error = $"--store '{value}' is not a store; use sqlite:PATH (e.g. {Default}) or postgres://user:password@host:port/database.";
        return false;
    }

    // A method of its own: compiling TryParse then does not load Npgsql into a SQLite node.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static string? PostgresProblem(string value)
    {
        try
        {
            _ = PostgreSql.PostgresConnectionString.Parse(value);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return "--store: " + e.Message;
        }
    }
}
