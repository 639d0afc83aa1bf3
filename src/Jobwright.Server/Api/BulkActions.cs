using Jobwright.Engine;
using Jobwright.Model;
using Jobwright.Server.Security;
using Jobwright.Status;

namespace Jobwright.Server.Api;

/// <summary>
/// Runs a bulk action over every job the filter matches and the caller may act on: a page of up to 1,000
/// at a time, newest first, the page's jobs at once (the store commits them together). A job the action does
/// not apply to is skipped with the reason; a repeat finds nothing left to do.
/// </summary>
internal static class BulkActions
{
    private const int FirstIdsShown = 20;

    public static async Task<BulkSummary> RunAsync(JobService jobs, BulkRequest request, JobwrightCaller caller, CancellationToken ct)
    {
        long matched = 0, done = 0;
        var skipped = new Dictionary<string, long>(StringComparer.Ordinal);
        var firstIds = new List<long>();
        var query = request.Filter;
        while (true)
        {
            var page = await ScopedJobs.ListAsync(jobs, query, caller, ct);
            var mine = page.Jobs.Where(j => request.Action == BulkRequest.Delete || caller.CanCancel(j)).ToArray();
            matched += mine.Length;
            firstIds.AddRange(mine.Take(FirstIdsShown - firstIds.Count).Select(j => j.JobId));
            if (!request.DryRun)
            {
                foreach (var outcome in await Task.WhenAll(mine.Select(job => ApplyAsync(jobs, request, job, caller.Name, ct))))
                {
                    if (outcome is null)
                    {
                        done++;
                    }
                    else
                    {
                        skipped[outcome] = skipped.GetValueOrDefault(outcome) + 1;
                    }
                }
            }

            if (page.NextBeforeId is not { } next)
            {
                break;
            }

            query = query with { BeforeId = next };
        }

        return new BulkSummary(request.Action, request.DryRun, matched, done, skipped.Values.Sum(), skipped, firstIds);
    }

    // Null when done; otherwise why the job was skipped.
    private static async Task<string?> ApplyAsync(JobService jobs, BulkRequest request, JobRecord job, string? actor, CancellationToken ct)
    {
        var action = request.Action;
        if (action == BulkRequest.Cancel && job.Status.IsTerminal())
        {
            return "already ended";
        }

        if (action != BulkRequest.Cancel && !job.Status.IsTerminal())
        {
            return action == BulkRequest.Delete ? "not ended (cancel it first)" : "not ended";
        }

        if (action is BulkRequest.Rerun or BulkRequest.Acknowledge && job.Resolution is not null)
        {
            return "already resolved";
        }

        try
        {
            var done = action switch
            {
                BulkRequest.Cancel => jobs.CancelAsync(job.JobId, actor, ct),
                BulkRequest.Rerun => jobs.RerunAsync(job.JobId, null, null, request.Note, actor, ct),
                BulkRequest.Acknowledge => jobs.AcknowledgeAsync(job.JobId, request.Note, actor, ct),
                _ => jobs.DeleteAsync(job.JobId, ct),
            };
            await done;
            return null;
        }
        catch (JobRequestException e) when (e.Kind == JobProblemKind.JobNotFound)
        {
            return "deleted meanwhile";
        }
        catch (JobRequestException e) when (e.Kind == JobProblemKind.Conflict)
        {
            return action switch
            {
                BulkRequest.Cancel => "already ended",
                BulkRequest.Delete => "not ended (cancel it first)",
                _ => "refused (already resolved, or its operation is not served here)",
            };
        }
    }
}

/// <summary>What a bulk action did: how many jobs matched, were done and were skipped (by reason), and the first ids.</summary>
internal sealed record BulkSummary(
    string Action, bool DryRun, long Matched, long Done, long Skipped, IReadOnlyDictionary<string, long> SkippedReasons, IReadOnlyList<long> FirstIds);
