using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>A session made by a logon with a user's password, whose token comes in <paramref name="header"/>.</summary>
internal abstract class SessionTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LogonSessions sessions, string header, string schemeName)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Request.Headers[header].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(sessions.Use(token) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(user, schemeName))
            : AuthenticateResult.Fail("The session is unknown, expired or ended."));
    }
}
