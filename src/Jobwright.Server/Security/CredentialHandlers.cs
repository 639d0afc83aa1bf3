using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Security;

/// <summary>HTTP Basic against the users file (failed attempts throttled, as HMC logons are).</summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PrincipalDirectory directory, AuditTrail audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = Authenticate(out var user);
        if (result.Failure is not null && user is not null)
        {
            await audit.RecordAsync(Context, user, "logon", "HTTP Basic", AuditTrail.Refused, result.Failure.Message);
        }

        return result;
    }

    private AuthenticateResult Authenticate(out string? tried)
    {
        tried = null;
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || !SchemeName.Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        string pair;
        try
        {
            pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? string.Empty));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("The Basic credentials are not base64.");
        }

        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        var (user, password) = colon < 0 ? (pair, string.Empty) : (pair[..colon], pair[(colon + 1)..]);
        if (user.Length == 0 && password.Length == 0)
        {
            // "Basic Og==" (an empty user and password), as the HMC's clients send beside their session: no credentials.
            return AuthenticateResult.NoResult();
        }

        tried = user;
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return directory.LogOn(user, password, address, SchemeName) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("Unknown user, wrong password or too many failed logons.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"Jobwright\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>API keys from the keys file: <c>Authorization: Bearer jw_…</c> or <c>X-Api-Key: jw_…</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PrincipalDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].FirstOrDefault();
        if (key is null && AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) && "Bearer".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            key = header.Parameter;
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        return await directory.CheckKeyAsync(key, SchemeName) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("Unknown, revoked or expired API key.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"Jobwright\"";
        return base.HandleChallengeAsync(properties);
    }
}
