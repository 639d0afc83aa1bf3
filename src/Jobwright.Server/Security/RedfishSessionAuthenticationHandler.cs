using System.Text.Encodings.Web;
using Jobwright.Server.Redfish;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>Redfish sessions (<c>X-Auth-Token</c>), made by a POST to <c>SessionService/Sessions</c> with a user's password.</summary>
internal sealed class RedfishSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RedfishSessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RedfishSession";
    public const string Header = "X-Auth-Token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(sessions.Use(token) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName))
            : AuthenticateResult.Fail("The session is unknown, expired or deleted."));
    }
}
