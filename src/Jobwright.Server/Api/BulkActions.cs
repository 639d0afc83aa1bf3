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
                foreach (var outcome in await Task.WhenAll(mine.Select(job => ApplyAsync(jobs, request.Action, job, caller.Name, ct))))
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
    private static async Task<string?> ApplyAsync(JobService jobs, string action, JobRecord job, string? actor, CancellationToken ct)
    {
        if (action == BulkRequest.Cancel && job.Status.IsTerminal())
        {
            return "already ended";
        }

        if (action == BulkRequest.Delete && !job.Status.IsTerminal())
        {
            return "not ended (cancel it first)";
        }

        try
        {
            if (action == BulkRequest.Cancel)
            {
                await jobs.CancelAsync(job.JobId, actor, ct);
            }
            else
            {
                await jobs.DeleteAsync(job.JobId, ct);
            }

            return null;
        }
        catch (JobRequestException e) when (e.Kind == JobProblemKind.JobNotFound)
        {
            return "deleted meanwhile";
        }
        catch (JobRequestException e) when (e.Kind == JobProblemKind.Conflict)
        {
            return action == BulkRequest.Cancel ? "already ended" : "not ended (cancel it first)";
        }
    }
}

/// <summary>What a bulk action did: how many jobs matched, were done and were skipped (by reason), and the first ids.</summary>
internal sealed record BulkSummary(
    string Action, bool DryRun, long Matched, long Done, long Skipped, IReadOnlyDictionary<string, long> SkippedReasons, IReadOnlyList<long> FirstIds);
