using System.Diagnostics.Metrics;
using Jobwright.Model;
using Jobwright.Status;

namespace Jobwright.Diagnostics;

/// <summary>
/// What the node's gauges read: its worker slots, and a census of the store (jobs by status, waiting jobs by
/// reason) taken when a reader collects. The three store gauges of one collection share one census; a census
/// is taken again after a second, or at once when a job changed.
/// </summary>
internal sealed class NodeGauges(
    int slots, Func<int> running, Func<int> active,
    Func<CancellationToken, Task<(IReadOnlyDictionary<JobStatus, long> ByStatus, IReadOnlyList<WaitingReasonCount> Waiting)>> readStore,
    TimeProvider time)
{
    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    // A reference, so a job change on the writer's thread can drop it without the lock.
    private volatile TakenCensus? _last;

    public int Slots => slots;

    public int Running() => running();

    public int Active() => active();

    /// <summary>A job changed: the next collection takes a new census.</summary>
    public void JobChanged() => _last = null;

    public StoreCensus Census()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.TakenAt < ReuseFor)
            {
                return last.Census;
            }

            var census = Take(now);
            _last = new TakenCensus(census, now);
            return census;
        }
    }

    private StoreCensus Take(DateTimeOffset now)
    {
        try
        {
            // A collection is synchronous (a scrape, an export tick); the store read is bounded so that a
            // store that is away leaves the store gauges empty rather than holding the scrape.
            using var limit = new CancellationTokenSource(ReadLimit);
            var (byStatus, waiting) = readStore(limit.Token).GetAwaiter().GetResult();
            return new StoreCensus(
                [.. JobStatuses.All.Select(s => new Measurement<long>(byStatus.GetValueOrDefault(s), new KeyValuePair<string, object?>(SpanAttributes.Status, s.ToWire())))],
                [.. waiting.Select(w => new Measurement<long>(w.Jobs, Reason(w)))],
                [.. waiting.Select(w => new Measurement<double>(Math.Max(0, (now - w.OldestSubmitted).TotalSeconds), Reason(w)))]);
        }
        catch (Exception e) when (e is OperationCanceledException or Storage.StoreUnavailableException)
        {
            return StoreCensus.Empty;
        }
    }

    private static KeyValuePair<string, object?> Reason(WaitingReasonCount count) => new(SpanAttributes.Reason, count.Reason);

    private sealed record TakenCensus(StoreCensus Census, DateTimeOffset TakenAt);

    internal sealed record StoreCensus(Measurement<long>[] ByStatus, Measurement<long>[] Waiting, Measurement<double>[] OldestAge)
    {
        public static readonly StoreCensus Empty = new([], [], []);
    }
}
