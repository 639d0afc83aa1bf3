namespace Jobwright.Sqlite;

/// <summary>The files of a store: the database by its real path, and the signs that a node has used that path before.</summary>
internal static class SqliteFiles
{
    /// <summary>The full path of the file a path names, following symbolic links (the path itself when nothing is there yet).</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) : null;
        return target?.FullName ?? full;
    }

    /// <summary>
    /// Whether the database is there, and when it is not, what says a node ran on that path before: its key,
    /// its write-ahead log or its lock file beside it (null when nothing does).
    /// </summary>
    public static Found Inspect(string path)
    {
        var database = RealPath(path);
        return File.Exists(database)
            ? new Found(true, null)
            : new Found(false, new[] { database + ".key", database + "-wal", database + ".lock" }.FirstOrDefault(File.Exists));
    }

    /// <summary>What <see cref="Inspect"/> found.</summary>
    public sealed record Found(bool Exists, string? RunBefore);
}
