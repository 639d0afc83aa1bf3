using Jobwright.Status;

namespace Jobwright.Sqlite;

/// <summary>The job states the SQLite store's SQL tests, each spelled once: the conditions of its partial indexes.</summary>
internal static class SqliteStatus
{
    private static readonly string NotStarted = JobStatus.NotStarted.ToWire();
    private static readonly string Running = JobStatus.Running.ToWire();

    /// <summary>A job that holds its target and counts against its operation's limit: claimed (an attempt) or running.</summary>
    public static readonly string Active = $"attempt IS NOT NULL AND status IN ('{NotStarted}', '{Running}')";

    /// <summary>A job in the queue: not started and without an attempt (this node's claims are in memory, and still queued).</summary>
    public static readonly string Queued = $"status = '{NotStarted}' AND attempt IS NULL";
}
