using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>A page of jobs and where the next page starts (null on the last page).</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Jobs, long? NextBeforeId)
{
    /// <summary>
    /// The page of a query from the jobs a store read for it: a store reads <see cref="JobQuery.FetchSize"/>
    /// jobs, newest first, one more than the page holds, so that a next page is known to exist without a count.
    /// </summary>
    public static JobPage FromFetched(IReadOnlyList<JobRecord> fetched, JobQuery query)
    {
        ArgumentNullException.ThrowIfNull(fetched);
        ArgumentNullException.ThrowIfNull(query);
        var size = query.PageSize;
        return fetched.Count <= size ? new JobPage(fetched, null) : new JobPage(fetched.Take(size).ToArray(), fetched[size - 1].JobId);
    }
}
