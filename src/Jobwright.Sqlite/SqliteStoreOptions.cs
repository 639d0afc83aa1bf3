namespace Jobwright.Sqlite;

/// <summary>Settings of the SQLite store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// SQLite's <c>synchronous</c> setting: <c>FULL</c> (the default) makes every acknowledged write
    /// survive a power cut; <c>NORMAL</c> is faster and survives a crash of the process but may lose
    /// the last commits on a power cut.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>Throws with a message that names the option and the fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new InvalidOperationException("The SQLite store path is empty: give a file, e.g. sqlite:./jobwright.db.");
        }

        if (Synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
        {
            throw new InvalidOperationException($"SqliteStoreOptions.Synchronous is '{Synchronous}': use FULL, EXTRA or NORMAL.");
        }
    }
}
