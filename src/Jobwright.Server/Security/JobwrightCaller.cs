using System.Security.Claims;
using Jobwright.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>
/// Who is calling and what it may do: its name (the submitter of what it submits), its role and its
/// scope. Without authentication configured every caller is <see cref="Trusted"/>.
/// </summary>
public sealed record JobwrightCaller(string Name, string? Role, TargetScope Scope)
{
    /// <summary>The claim type of a scope pattern, as Jobwright's own schemes write it.</summary>
    public const string ScopeClaim = "jobwright:scope";

    /// <summary>The caller of a node without authentication: everything is allowed.</summary>
    public static JobwrightCaller Trusted { get; } = new("anonymous", JobwrightRoles.Admin, TargetScope.Everything);

    public static JobwrightCaller From(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var options = http.RequestServices.GetRequiredService<IOptions<JobwrightSecurityOptions>>().Value;
        return options.Enabled ? From(http.User, options) : Trusted;
    }

    /// <summary>Reads a principal of any scheme: the highest role it holds, and the union of its scopes.</summary>
    public static JobwrightCaller From(ClaimsPrincipal user, JobwrightSecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        if (user.Identity is not { IsAuthenticated: true })
        {
            return new JobwrightCaller("anonymous", null, TargetScope.Everything);
        }

        var roles = user.FindAll(ClaimTypes.Role).Concat(user.FindAll(options.JwtRoleClaim))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(JobwrightRoles.Normalize)
            .OfType<string>();
        var role = roles.OrderByDescending(r => r == JobwrightRoles.Admin ? 3 : r == JobwrightRoles.Operator ? 2 : 1).FirstOrDefault();
        var scopes = user.FindAll(ScopeClaim).Concat(user.FindAll(options.JwtScopeClaim))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var name = user.Identity.Name ?? user.FindFirst(options.JwtNameClaim)?.Value ?? "unnamed";
        return new JobwrightCaller(name, role, new TargetScope(scopes)) { Authenticated = true };
    }

    /// <summary>Whether the caller proved who it is (false for every caller of a node without authentication).</summary>
    public bool Authenticated { get; init; }

    /// <summary>A job's stack trace is shown only to an authenticated admin: it may tell an attacker about the node's insides.</summary>
    public bool SeesStackTraces => Authenticated && Role == JobwrightRoles.Admin;

    public bool Allows(string role) => JobwrightRoles.Allows(Role, role);

    /// <summary>Whether nothing is hidden from the caller: an admin, or a reader of every scope.</summary>
    public bool SeesEverything => Allows(JobwrightRoles.Reader) && (Role == JobwrightRoles.Admin || Scope.IsEverything);

    /// <summary>Whether the caller may see a job: an admin sees all; others, what their scope covers.</summary>
    public bool CanSee(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return SeesEverything || (Allows(JobwrightRoles.Reader) && (Scope.Covers(job.Group, job.Operation, job.Target) || job.Submitter == Name));
    }

    /// <summary>Whether the caller may submit a job of this operation on this target.</summary>
    public bool CanSubmit(string group, string operation, string? target) =>
        Allows(JobwrightRoles.Operator) && (Role == JobwrightRoles.Admin || Scope.Covers(group, operation, target));

    /// <summary>An operator cancels its own jobs and every job inside its scope; an admin, any.</summary>
    public bool CanCancel(JobRecord job) => Allows(JobwrightRoles.Operator) && CanSee(job);

    public bool CanDelete => Allows(JobwrightRoles.Admin);
}
