using Microsoft.AspNetCore.Authorization;

namespace Jobwright.Server.Security;

/// <summary>The authorization policies every Jobwright endpoint carries, one per role it needs.</summary>
public static class JobwrightPolicies
{
    public const string Reader = "jobwright:reader";
    public const string Operator = "jobwright:operator";
    public const string Admin = "jobwright:admin";

    internal static void Add(AuthorizationOptions authorization, JobwrightSecurityOptions security)
    {
        foreach (var (policy, role) in new[] { (Reader, JobwrightRoles.Reader), (Operator, JobwrightRoles.Operator), (Admin, JobwrightRoles.Admin) })
        {
            authorization.AddPolicy(policy, builder =>
            {
                if (security.Enabled)
                {
                    builder.RequireAuthenticatedUser().RequireAssertion(context => JobwrightCaller.From(context.User, security).Allows(role));
                }
                else
                {
                    // No authentication configured: a loopback node trusts its callers, as it always has.
                    builder.RequireAssertion(_ => true);
                }
            });
        }

        if (security.Enabled)
        {
            // Default deny: an endpoint that names no policy still needs a principal.
            authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        }
    }
}
