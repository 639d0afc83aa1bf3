using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Jobwright.Server.Security;

/// <summary>
/// Sessions made by a logon with a user's password, in this node's memory: each has a secret token (sent
/// in a header) and a public id (its resource). A session ends at log off, after its idle lifetime or with
/// the node; its requests then answer 401, on which clients log on again.
/// </summary>
internal class LogonSessions(TimeProvider time, TimeSpan idleTimeout)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session for <paramref name="user"/>, who keeps its role and scope for the session's life.</summary>
    public string LogOn(ClaimsPrincipal user) => Open(user).Token;

    /// <summary>A new session: its token (the secret the client sends) and its id (the name of its resource).</summary>
    public (string Token, string Id) Open(ClaimsPrincipal user)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_');
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _sessions[token] = new Session(id, user, time.GetUtcNow());
        return (token, id);
    }

    public bool LogOff(string token) => _sessions.TryRemove(token, out _);

    /// <summary>Ends the session with this id, if it is <paramref name="user"/>'s own (or <paramref name="anyone"/>).</summary>
    public bool LogOffById(string id, string? user, bool anyone)
    {
        foreach (var (token, session) in _sessions)
        {
            if (session.Id == id && (anyone || session.User.Identity?.Name == user))
            {
                return _sessions.TryRemove(token, out _);
            }
        }

        return false;
    }

    /// <summary>The ids of the live sessions of <paramref name="user"/> (or of <paramref name="anyone"/>).</summary>
    public IReadOnlyList<string> Ids(string? user, bool anyone)
    {
        var now = time.GetUtcNow();
        return _sessions.Values.Where(s => now - s.LastUsed <= idleTimeout && (anyone || s.User.Identity?.Name == user)).Select(s => s.Id).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The live session with this id, or null.</summary>
    public (string Id, ClaimsPrincipal User)? Find(string id)
    {
        var now = time.GetUtcNow();
        return _sessions.Values.FirstOrDefault(s => s.Id == id && now - s.LastUsed <= idleTimeout) is { } found ? (found.Id, found.User) : null;
    }

    /// <summary>The user of a live session, touching it; null when there is none or it expired.</summary>
    public ClaimsPrincipal? Use(string? token) => UseSession(token)?.User;

    /// <summary>The id of the live session of this token, touching it; null when there is none.</summary>
    public string? IdOf(string? token) => UseSession(token)?.Id;

    private Session? UseSession(string? token)
    {
        if (token is null || !_sessions.TryGetValue(token, out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - session.LastUsed > idleTimeout)
        {
            _sessions.TryRemove(token, out _);
            return null;
        }

        _sessions[token] = session with { LastUsed = now };
        return session;
    }

    private sealed record Session(string Id, ClaimsPrincipal User, DateTimeOffset LastUsed);
}
