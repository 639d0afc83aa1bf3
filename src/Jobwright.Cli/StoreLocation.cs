namespace Jobwright.Cli;

/// <summary>Parses <c>--store</c>: <c>sqlite:PATH</c>.</summary>
internal static class StoreLocation
{
    public const string Default = "sqlite:./jobwright.db";

    public static bool TryParseSqlite(string value, out string path, out string? error)
    {
        path = string.Empty;
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && value.Length > "sqlite:".Length)
        {
            path = value["sqlite:".Length..];
            error = null;
            return true;
        }

        error = value.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
            ? "--store: PostgreSQL is not available in this version yet; use sqlite:PATH."
            : $"--store '{value}' is not a store; use sqlite:PATH, e.g. {Default}.";
        return false;
    }
}
