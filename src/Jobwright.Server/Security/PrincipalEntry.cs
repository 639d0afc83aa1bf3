namespace Jobwright.Server.Security;

/// <summary>What a user or an API key may do: its role and its target scope (no pattern: every job).</summary>
public abstract record PrincipalEntry
{
    /// <summary><c>reader</c>, <c>operator</c> or <c>admin</c> (or an HMC name for one).</summary>
    public required string Role { get; init; }

    /// <summary>The scope's patterns (<see cref="TargetScope"/>); none is every job.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}

/// <summary>A user of the users file: a name with a password hash (ASP.NET Core Identity's PBKDF2 format, never the password).</summary>
public sealed record UserEntry : PrincipalEntry
{
    public required string PasswordHash { get; init; }
}

/// <summary>An API key of the keys file: only the SHA-256 of the key is kept, with when it was made and when it expires.</summary>
public sealed record ApiKeyEntry : PrincipalEntry
{
    /// <summary>The SHA-256 of the key, lowercase hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The first characters of the key (<c>jw_AbCd</c>), to tell keys apart in a listing.</summary>
    public required string Prefix { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset? Expires { get; init; }
}
