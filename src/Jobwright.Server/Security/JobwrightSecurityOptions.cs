namespace Jobwright.Server.Security;

/// <summary>
/// Who may call a node (SPEC §7). Nothing set: no authentication, every caller is trusted (a loopback
/// node, as before). Anything set: every endpoint but <c>/healthz</c> and the logons requires a
/// principal, and what it may do follows its role and scope.
/// </summary>
public sealed class JobwrightSecurityOptions
{
    /// <summary>The users file (<c>jobwright users add</c>): HMC logon, HTTP Basic.</summary>
    public string? UsersFile { get; set; }

    /// <summary>The API keys file (<c>jobwright keys add</c>): <c>Authorization: Bearer jw_…</c> or <c>X-Api-Key</c>.</summary>
    public string? KeysFile { get; set; }

    /// <summary>JWT bearer tokens: the identity provider whose metadata gives the signing keys.</summary>
    public string? JwtAuthority { get; set; }

    /// <summary>JWT bearer tokens: a PEM public key (RSA or EC) they are signed with, instead of an authority.</summary>
    public string? JwtSigningKeyFile { get; set; }

    /// <summary>The audience a JWT must name.</summary>
    public string? JwtAudience { get; set; }

    /// <summary>The claim of a JWT that holds its roles (reader, operator, admin or the HMC's names).</summary>
    public string JwtRoleClaim { get; set; } = "roles";

    /// <summary>The claim of a JWT that holds its scope patterns (space-separated, or one per value).</summary>
    public string JwtScopeClaim { get; set; } = "jobwright_scope";

    /// <summary>The claim of a JWT that names the caller (its jobs' submitter).</summary>
    public string JwtNameClaim { get; set; } = "sub";

    /// <summary>How long audit records are kept (default 90 days).</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Whether any authentication is configured.</summary>
    public bool Enabled => UsersFile is not null || KeysFile is not null || JwtAuthority is not null || JwtSigningKeyFile is not null;

    /// <summary>Whether JWT bearer tokens are accepted.</summary>
    public bool JwtEnabled => JwtAuthority is not null || JwtSigningKeyFile is not null;
}
