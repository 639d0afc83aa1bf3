namespace Jobwright.Client;

/// <summary>
/// What a bulk action did (<c>POST /api/v1/jobs/bulk</c>): how many jobs the filter matched, how many were
/// done and skipped (with the reasons), and the first matched ids, newest first.
/// </summary>
public sealed record BulkSummary(
    string Action, bool DryRun, long Matched, long Done, long Skipped, IReadOnlyDictionary<string, long> SkippedReasons, IReadOnlyList<long> FirstIds);
