using System.Text.Encodings.Web;
using Jobwright.Server.Hmc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>The HMC API's sessions (<c>X-API-Session</c>), made by a logon with a user's password.</summary>
internal sealed class HmcSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, HmcSessions sessions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HmcSession";
    public const string Header = "X-API-Session";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(sessions.Use(token) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName))
            : AuthenticateResult.Fail("The session is unknown, expired or logged off."));
    }
}
