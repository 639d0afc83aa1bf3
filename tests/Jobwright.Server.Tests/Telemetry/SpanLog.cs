using System.Collections;
using System.Diagnostics;

namespace Jobwright.Server.Tests.Telemetry;

/// <summary>
/// The spans an OpenTelemetry in-memory exporter received, safe to read while it writes, with a wait for
/// the span a test expects. Every node in the test process exports here, so tests pick their own trace.
/// </summary>
public sealed class SpanLog : ICollection<Activity>
{
    private readonly Lock _gate = new();
    private readonly List<Activity> _spans = [];
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Found)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Match(item)).ToArray())
            {
                waiter.Found.TrySetResult(item);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first exported span that matches, waiting for it to be exported.</summary>
    public Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        lock (_gate)
        {
            if (_spans.FirstOrDefault(match) is { } found)
            {
                return Task.FromResult(found);
            }

            var waiter = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return waiter.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>The spans of one trace, in the order they ended.</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return _spans.Where(s => s.TraceId == traceId).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_gate)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
