using Jobwright.Storage;

namespace Jobwright.Engine;

/// <summary>
/// Repeats a write of a job's life (start, finish, release) while the store is unreachable, so that a
/// store restart never leaves a job claimed or RUNNING on a live node. Each write is conditional on the
/// attempt, so a repeat of a write that did commit is refused, never applied twice.
/// </summary>
internal static class StoreRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(2);

    public static async Task<T> UntilDoneAsync<T>(Func<Task<T>> write, TimeProvider time, CancellationToken giveUp)
    {
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (StoreUnavailableException) when (!giveUp.IsCancellationRequested)
            {
                await Task.Delay(delay, time, giveUp).ConfigureAwait(false);
                delay = delay * 2 < LongestDelay ? delay * 2 : LongestDelay;
            }
        }
    }
}
