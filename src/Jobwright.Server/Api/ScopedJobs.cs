using Jobwright.Engine;
using Jobwright.Server.Security;
using Jobwright.Storage;

namespace Jobwright.Server.Api;

/// <summary>
/// Lists and counts only what a caller may see. A caller of every scope reads the store's pages as they
/// are; a scoped one reads pages until its own page is full, skipping what it may not see.
/// </summary>
internal static class ScopedJobs
{
    // How many jobs a scoped list or count reads at most before it answers what it found.
    private const int MaxScanned = 10_000;

    public static async Task<JobPage> ListAsync(JobService jobs, JobQuery query, JobwrightCaller caller, CancellationToken ct)
    {
        if (caller.SeesEverything)
        {
            return await jobs.ListAsync(query, ct);
        }

        var visible = new List<Model.JobRecord>();
        var next = query;
        for (var scanned = 0; scanned < MaxScanned;)
        {
            var page = await jobs.ListAsync(next with { Limit = 200 }, ct);
            scanned += page.Jobs.Count;
            foreach (var job in page.Jobs.Where(caller.CanSee))
            {
                visible.Add(job);
                if (visible.Count == query.PageSize + 1)
                {
                    return JobPage.FromFetched(visible, query);
                }
            }

            if (page.NextBeforeId is not { } before)
            {
                break;
            }

            next = next with { BeforeId = before };
        }

        return JobPage.FromFetched(visible, query);
    }

    /// <summary>The counts by status of what the caller may see (a scoped caller's count reads at most <see cref="MaxScanned"/> jobs).</summary>
    public static async Task<IReadOnlyDictionary<Status.JobStatus, long>> CountAsync(JobService jobs, JobwrightCaller caller, CancellationToken ct)
    {
        if (caller.SeesEverything)
        {
            return await jobs.CountByStatusAsync(ct);
        }

        var counts = Enum.GetValues<Status.JobStatus>().ToDictionary(s => s, _ => 0L);
        var page = await ListAsync(jobs, new JobQuery { Limit = 1000 }, caller, ct);
        var scanned = 0;
        while (true)
        {
            foreach (var job in page.Jobs)
            {
                counts[job.Status]++;
            }

            scanned += page.Jobs.Count;
            if (page.NextBeforeId is not { } before || scanned >= MaxScanned)
            {
                return counts;
            }

            page = await ListAsync(jobs, new JobQuery { Limit = 1000, BeforeId = before }, caller, ct);
        }
    }
}
