namespace Jobwright.Engine;

/// <summary>
/// A value read at most once a second, and again at once after <see cref="Invalidate"/>: for the facts every
/// reason needs (live nodes, pauses) that change rarely and would otherwise cost a read per submit.
/// </summary>
internal sealed class SecondCache<T>(TimeProvider time)
    where T : class
{
    private (T? Value, DateTimeOffset ReadAt, long Invalidations) _read;
    private long _invalidations;

    /// <summary>The next read goes to the store (a change this node made).</summary>
    public void Invalidate() => Interlocked.Increment(ref _invalidations);

    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var cached = _read;
        var now = time.GetUtcNow();
        var invalidations = Interlocked.Read(ref _invalidations);
        if (cached.Value is not null && cached.Invalidations == invalidations && now - cached.ReadAt < TimeSpan.FromSeconds(1))
        {
            return cached.Value;
        }

        var value = await read(cancellationToken).ConfigureAwait(false);
        // Kept with the count taken before the read began: an invalidation while it ran makes the next call read again.
        _read = (value, now, invalidations);
        return value;
    }
}
