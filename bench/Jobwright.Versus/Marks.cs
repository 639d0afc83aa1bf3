using System.Collections.Concurrent;
using System.Diagnostics;

namespace Jobwright.Versus;

/// <summary>
/// Where the benchmark jobs of both systems report, as their first instruction, that they began (and,
/// for the cancel case, that their token fired). Times are Stopwatch timestamps.
/// </summary>
internal static class Marks
{
    private static readonly ConcurrentDictionary<long, TaskCompletionSource<long>> StartedAt = new();
    private static readonly ConcurrentDictionary<long, TaskCompletionSource<long>> CanceledAt = new();
    private static TaskCompletionSource<long> _all = new();
    private static int _expected;
    private static int _count;
    private static long _nextRange;
    private static long _rangeStart;

    /// <summary>
    /// Forgets earlier marks and returns the first key of a range of its own for this case: a job of an
    /// earlier system still winding down must never answer for one of this case. <see cref="AllStarted"/>
    /// completes when <paramref name="expected"/> jobs of the range began.
    /// </summary>
    public static long Reset(int expected)
    {
        var range = Interlocked.Add(ref _nextRange, 1_000_000_000);
        Volatile.Write(ref _rangeStart, range);
        StartedAt.Clear();
        CanceledAt.Clear();
        _all = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _expected, expected);
        return range;
    }

    /// <summary>The timestamp of the last of the expected jobs to begin.</summary>
    public static Task<long> AllStarted => _all.Task;

    public static void Started(long key)
    {
        var now = Stopwatch.GetTimestamp();
        if (key < Volatile.Read(ref _rangeStart))
        {
            return;
        }

        For(StartedAt, key).TrySetResult(now);
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _expected))
        {
            _all.TrySetResult(now);
        }
    }

    public static void Canceled(long key) => For(CanceledAt, key).TrySetResult(Stopwatch.GetTimestamp());

    public static Task<long> StartOf(long key) => For(StartedAt, key).Task;

    public static Task<long> CancelOf(long key) => For(CanceledAt, key).Task;

    private static TaskCompletionSource<long> For(ConcurrentDictionary<long, TaskCompletionSource<long>> map, long key) =>
        map.GetOrAdd(key, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
