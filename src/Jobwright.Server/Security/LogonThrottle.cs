using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Jobwright.Server.Security;

/// <summary>
/// Limits failed logons per user name and per source address (a fixed window of 10 failures a minute
/// each): once either is used up, even a right password is refused with the same 401 until the window
/// ends, so guessing costs time whichever user or address it comes from.
/// </summary>
internal sealed class LogonThrottle
{
    private const int FailuresPerWindow = 10;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, FixedWindowRateLimiter> _limiters = new(StringComparer.Ordinal);

    /// <summary>Whether a logon may be tried now for this user from this address.</summary>
    public bool MayTry(string user, string address) => Available("user:" + user) && Available("address:" + address);

    /// <summary>Counts a failed logon against both the user and the address.</summary>
    public void Failed(string user, string address)
    {
        Limiter("user:" + user).AttemptAcquire().Dispose();
        Limiter("address:" + address).AttemptAcquire().Dispose();
    }

    private bool Available(string key) => !_limiters.TryGetValue(key, out var limiter) || limiter.GetStatistics()?.CurrentAvailablePermits > 0;

    private FixedWindowRateLimiter Limiter(string key) => _limiters.GetOrAdd(key, _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
    {
        PermitLimit = FailuresPerWindow,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    }));
}
