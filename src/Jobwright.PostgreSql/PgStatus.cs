using Jobwright.Status;

namespace Jobwright.PostgreSql;

/// <summary>The statuses the store's SQL names, as quoted SQL literals of their wire names (spelled only in the status file).</summary>
internal static class PgStatus
{
    public static readonly string NotStarted = Literal(JobStatus.NotStarted);
    public static readonly string Running = Literal(JobStatus.Running);
    public static readonly string CanceledBeforeStart = Literal(JobStatus.CanceledBeforeStart);
    public static readonly string CanceledWhileRunning = Literal(JobStatus.CanceledWhileRunning);

    /// <summary>A job that holds its target and counts against its operation's limit: claimed (an attempt) or running.</summary>
    public static readonly string Active = $"attempt IS NOT NULL AND status IN ({NotStarted}, {Running})";

    public static string Literal(JobStatus status) => $"'{status.ToWire()}'";
}
