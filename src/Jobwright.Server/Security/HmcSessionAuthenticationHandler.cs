using System.Text.Encodings.Web;
using Jobwright.Server.Hmc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>The HMC API's sessions (<c>X-API-Session</c>), made by a logon with a user's password.</summary>
internal sealed class HmcSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, HmcSessions sessions)
    : SessionTokenAuthenticationHandler(options, logger, encoder, sessions, Header, SchemeName)
{
    public const string SchemeName = "HmcSession";
    public const string Header = "X-API-Session";
}
