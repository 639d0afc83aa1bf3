namespace Jobwright.Sqlite;

/// <summary>
/// Which of the indexes and tables a claim reads hold anything, read in one statement before the claim's own:
/// an idle node claims after each submit, start and finish, most of those claims find nothing, and a full claim
/// asks up to eight statements (the held targets and operations, the pauses, a page of each order), each of them
/// a call into SQLite on the writer's thread. A statement whose source is empty is left out; read in the claim's
/// transaction on the one writer, the answer cannot change before the claim ends.
/// </summary>
internal readonly record struct SqliteClaimOutlook(SqliteClaimOutlook.Found What)
{
    // With more jobs claimed and not started than this the node is busy: the check would find them, and is left out.
    private const int ReadUpToClaims = 16;

    private static readonly string Queued = SqliteStatus.Queued;
    private static readonly string Active = SqliteStatus.Active;
    private static readonly string ReadAll = Statement(string.Empty);
    private static readonly string ReadAllButClaimed = Statement(" AND id NOT IN (SELECT value FROM json_each($claimed))");

    /// <summary>What a claim may find.</summary>
    [Flags]
    internal enum Found
    {
        /// <summary>A queued job without a start time that this node has not claimed (the queue's indexes).</summary>
        QueuedNow = 1,

        /// <summary>A queued job whose start time has come that this node has not claimed (<c>jobs_queue_scheduled</c>).</summary>
        Due = 2,

        /// <summary>A queued job with a priority other than 0 (<c>jobs_queue_prioritized</c>).</summary>
        Prioritized = 4,

        /// <summary>A job holding its target (<c>jobs_active_target</c>).</summary>
        ActiveTargets = 8,

        /// <summary>A job of an operation with a concurrency limit, claimed or running (<c>jobs_active_operation</c>).</summary>
        ActiveLimitedOperations = 16,

        /// <summary>A paused target or operation.</summary>
        Pauses = 32,
    }

    /// <summary>The outlook of a claim that reads everything.</summary>
    public static SqliteClaimOutlook Everything { get; } =
        new(Found.QueuedNow | Found.Due | Found.Prioritized | Found.ActiveTargets | Found.ActiveLimitedOperations | Found.Pauses);

    public static SqliteClaimOutlook Read(SqliteWriteScope scope)
    {
        if (scope.Claims.Count > ReadUpToClaims)
        {
            return Everything;
        }

        var read = scope.Command(scope.Claims.Count == 0 ? ReadAll : ReadAllButClaimed);
        read.Parameters.AddWithValue("$now", scope.NowMs);
        if (scope.Claims.Count > 0)
        {
            read.Parameters.AddWithValue("$claimed", "[" + string.Join(',', scope.Claims.All.Select(claim => claim.JobId)) + "]");
        }

        return new((Found)(long)read.ExecuteScalar()!);
    }

    public bool Has(Found found) => (What & found) == found;

    public bool HasAny(Found found) => (What & found) != 0;

    /// <summary>Whether a page of <paramref name="order"/> may hold a job.</summary>
    public bool MayFind(SqliteClaim.QueueOrder order) => order switch
    {
        SqliteClaim.QueueOrder.Due => Has(Found.Due),
        SqliteClaim.QueueOrder.AboveZero or SqliteClaim.QueueOrder.BelowZero => Has(Found.QueuedNow | Found.Prioritized),
        _ => Has(Found.QueuedNow),
    };

    // Each flag is the EXISTS of the index a claim's statement reads, under that index's own condition.
    private static string Statement(string notClaimed) =>
        $"SELECT (EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_queue WHERE {Queued} AND not_before IS NULL{notClaimed}) * 1) " +
        $"| (EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_queue_scheduled WHERE {Queued} AND not_before IS NOT NULL AND not_before <= $now{notClaimed}) * 2) " +
        $"| (EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_queue_prioritized WHERE priority <> 0 AND {Queued} AND not_before IS NULL) * 4) " +
        $"| (EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_active_target WHERE target_key IS NOT NULL AND {Active}) * 8) " +
        $"| (EXISTS (SELECT 1 FROM jobs INDEXED BY jobs_active_operation WHERE op_limit IS NOT NULL AND {Active}) * 16) " +
        "| (EXISTS (SELECT 1 FROM pauses) * 32)";
}
