using System.Net.ServerSentEvents;

namespace Jobwright.TestSupport;

/// <summary>
/// Waits for a node to reach a state by reading it again after each change the node streams
/// (<c>GET /api/v1/events</c>; a burst of changes is one read), never by sleeping.
/// </summary>
public static class NodeChanges
{
    /// <summary>Reads with <paramref name="read"/> until <paramref name="condition"/> holds; throws when <paramref name="timeout"/> passes first.</summary>
    public static async Task<T> UntilAsync<T>(HttpClient http, Func<CancellationToken, Task<T>> read, Func<T, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(condition);
        using var limit = new CancellationTokenSource(timeout);
        using var events = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead, limit.Token);
        events.EnsureSuccessStatusCode();
        await using var stream = await events.Content.ReadAsStreamAsync(limit.Token);
        using var changed = new SemaphoreSlim(0, 1);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in SseParser.Create(stream).EnumerateAsync(stopReading.Token))
            {
                if (changed.CurrentCount == 0)
                {
                    changed.Release();
                }
            }
        });
        try
        {
            while (true)
            {
                var value = await read(limit.Token);
                if (condition(value))
                {
                    return value;
                }

                await changed.WaitAsync(limit.Token);
            }
        }
        finally
        {
            await stopReading.CancelAsync();
            try
            {
                await reading;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }
        }
    }
}
