using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Counts the NOT_STARTED jobs by the reason they wait, with the same explanation the job list gives, so the
/// metrics, the stats endpoint and the dashboard never disagree with the list. Reads at most
/// <see cref="MaxJobs"/> waiting jobs, newest first, a page at a time.
/// </summary>
internal sealed class WaitingCensus(IJobQueries queries, NotStartedReasonResolver reasons)
{
    public const int MaxJobs = 10_000;
    private const int PageSize = 1000;

    public async Task<IReadOnlyList<WaitingReasonCount>> CountAsync(CancellationToken cancellationToken)
    {
        var byReason = new Dictionary<string, (long Jobs, DateTimeOffset Oldest)>(StringComparer.Ordinal);
        long? before = null;
        for (var read = 0; read < MaxJobs;)
        {
            var page = await queries.ListAsync(new JobQuery { Statuses = [JobStatus.NotStarted], BeforeId = before, Limit = PageSize }, cancellationToken).ConfigureAwait(false);
            foreach (var job in await reasons.ExplainAsync(page.Jobs, cancellationToken, countQueue: false).ConfigureAwait(false))
            {
                // A job that started between the page and its explanation has no reason: it no longer waits.
                if (job.NotStartedReason is not { Code: var code })
                {
                    continue;
                }

                var (jobs, oldest) = byReason.GetValueOrDefault(code, (0, job.TimeSubmitted));
                byReason[code] = (jobs + 1, job.TimeSubmitted < oldest ? job.TimeSubmitted : oldest);
            }

            read += page.Jobs.Count;
            if (page.NextBeforeId is not { } next)
            {
                break;
            }

            before = next;
        }

        return byReason.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new WaitingReasonCount(r.Key, r.Value.Jobs, r.Value.Oldest)).ToArray();
    }
}
