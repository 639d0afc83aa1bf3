using System.Text.Encodings.Web;
using Jobwright.Server.Redfish;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>Redfish sessions (<c>X-Auth-Token</c>), made by a POST to <c>SessionService/Sessions</c> with a user's password.</summary>
internal sealed class RedfishSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RedfishSessions sessions)
    : SessionTokenAuthenticationHandler(options, logger, encoder, sessions, Header, SchemeName)
{
    public const string SchemeName = "RedfishSession";
    public const string Header = "X-Auth-Token";
}
