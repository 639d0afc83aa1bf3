using System.Security.Claims;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Jobwright.Server.Hmc;

/// <summary>
/// The sessions of HMC clients (<c>X-API-Session</c>), in this node's memory: a session ends at log off,
/// after its idle lifetime (<see cref="JobwrightServerOptions.HmcSessionIdleTimeout"/>) or with the node;
/// its requests then answer 401, on which the HMC's clients log on again. Without authentication
/// configured, any non-empty UserID and Password log on.
/// </summary>
internal sealed class HmcSessions(TimeProvider time, Microsoft.Extensions.Options.IOptions<JobwrightServerOptions> options)
{
    private readonly TimeSpan _idleTimeout = options.Value.HmcSessionIdleTimeout;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session for <paramref name="user"/>, who keeps its role and scope for the session's life.</summary>
    public string LogOn(ClaimsPrincipal user)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_');
        _sessions[token] = new Session(user, time.GetUtcNow());
        return token;
    }

    public bool LogOff(string token) => _sessions.TryRemove(token, out _);

    /// <summary>The user of a live session, touching it; null when there is none or it expired.</summary>
    public ClaimsPrincipal? Use(string? token)
    {
        if (token is null || !_sessions.TryGetValue(token, out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - session.LastUsed > _idleTimeout)
        {
            _sessions.TryRemove(token, out _);
            return null;
        }

        _sessions[token] = session with { LastUsed = now };
        return session.User;
    }

    private sealed record Session(ClaimsPrincipal User, DateTimeOffset LastUsed);
}
