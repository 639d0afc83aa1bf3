using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>The users and API keys of a node's files, checked against what a caller presents.</summary>
internal sealed class PrincipalDirectory(IOptions<JobwrightSecurityOptions> options, TimeProvider time, AuditTrail audit, LogonThrottle throttle)
{
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, ApiKeyEntry>? _knownKeys;

    private readonly PrincipalFile<UserEntry>? _users = options.Value.UsersFile is { } users ? new(users, "users") : null;
    private readonly PrincipalFile<ApiKeyEntry>? _keys = options.Value.KeysFile is { } keys ? new(keys, "keys") : null;

    /// <summary>
    /// A password logon from <paramref name="address"/> (HMC, Basic, the dashboard): the user's principal, or null
    /// for an unknown user, a wrong password or one of too many failures (all alike to the caller).
    /// </summary>
    public ClaimsPrincipal? LogOn(string user, string password, string address, string scheme)
    {
        if (!throttle.MayTry(user, address))
        {
            return null;
        }

        var principal = CheckPassword(user, password, scheme);
        if (principal is null)
        {
            throttle.Failed(user, address);
        }

        return principal;
    }

    /// <summary>The principal of a user whose password is right, or null (no such user and a wrong password look the same).</summary>
    public ClaimsPrincipal? CheckPassword(string user, string password, string scheme)
    {
        if (_users?.Read().GetValueOrDefault(user) is not { } entry)
        {
            // As long as a real check, so that a missing user cannot be told from a wrong password by the time taken.
            Credentials.VerifyPassword(user, DecoyHash, password);
            return null;
        }

        return Credentials.VerifyPassword(user, entry.PasswordHash, password) ? Principal(user, entry, scheme) : null;
    }

    /// <summary>The principal of a key that is known and not expired, or null.</summary>
    public async Task<ClaimsPrincipal?> CheckKeyAsync(string key, string scheme)
    {
        if (_keys is null || !key.StartsWith(Credentials.KeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = Credentials.KeyHash(key);
        var keys = _keys.Read();
        await NoticeKeyChangesAsync(keys).ConfigureAwait(false);
        foreach (var (name, entry) in keys)
        {
            if (Credentials.SameHash(entry.Sha256, hash))
            {
                return entry.Expires is { } expires && expires <= time.GetUtcNow() ? null : Principal(name, entry, scheme);
            }
        }

        return null;
    }

    // Keys are made and revoked by the CLI in the file, with no node involved: the node audits the changes it
    // sees between two reads of the file (the first read is the baseline).
    private async Task NoticeKeyChangesAsync(IReadOnlyDictionary<string, ApiKeyEntry> keys)
    {
        List<(string Action, string Name, string Detail)> changes = [];
        lock (_gate)
        {
            if (ReferenceEquals(keys, _knownKeys))
            {
                return;
            }

            if (_knownKeys is { } known)
            {
                changes.AddRange(keys.Where(k => !known.TryGetValue(k.Key, out var before) || before.Sha256 != k.Value.Sha256)
                    .Select(k => ("key-add", k.Key, $"{k.Value.Prefix}…, {k.Value.Role}{(k.Value.Scopes.Count == 0 ? string.Empty : ", " + string.Join(" ", k.Value.Scopes))}")));
                changes.AddRange(known.Keys.Where(name => !keys.ContainsKey(name)).Select(name => ("key-revoke", name, $"{known[name].Prefix}…")));
            }

            _knownKeys = keys;
        }

        foreach (var (action, name, detail) in changes)
        {
            await audit.RecordAsync("keys file", "keys file", action, $"key {name}", AuditTrail.Ok, detail).ConfigureAwait(false);
        }
    }

    public static ClaimsPrincipal Principal(string name, PrincipalEntry entry, string scheme)
    {
        List<Claim> claims = [new(ClaimTypes.Name, name), new(ClaimTypes.Role, JobwrightRoles.Normalize(entry.Role) ?? "none")];
        claims.AddRange(entry.Scopes.Select(s => new Claim(JobwrightCaller.ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static readonly string DecoyHash = Credentials.HashPassword("decoy", Guid.NewGuid().ToString());
}
