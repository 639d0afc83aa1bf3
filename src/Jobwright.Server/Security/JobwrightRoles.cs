namespace Jobwright.Server.Security;

/// <summary>
/// The three roles (SPEC §7), each allowing what the one before it does: <c>reader</c> sees jobs,
/// <c>operator</c> submits and cancels within its scope, <c>admin</c> does everything (delete, every
/// scope). The HMC's task roles are accepted as the same three.
/// </summary>
public static class JobwrightRoles
{
    public const string Reader = "reader";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>Every name a role may be given under, and the role it is.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Reader] = Reader,
        [Operator] = Operator,
        [Admin] = Admin,
        ["hmcviewer"] = Reader,
        ["hmcoperator"] = Operator,
        ["hmcsuperadmin"] = Admin,
        // Redfish's role names, for clients that speak them.
        ["ReadOnly"] = Reader,
        ["Administrator"] = Admin,
    };

    /// <summary>The role a name stands for, or null when it is none.</summary>
    public static string? Normalize(string? name) => name is not null && Names.TryGetValue(name.Trim(), out var role) ? role : null;

    /// <summary>Whether <paramref name="role"/> allows what <paramref name="needed"/> does.</summary>
    public static bool Allows(string? role, string needed) => Rank(role) >= Rank(needed);

    private static int Rank(string? role) => role switch
    {
        Admin => 3,
        Operator => 2,
        Reader => 1,
        _ => 0,
    };
}
