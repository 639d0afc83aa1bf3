using System.Security.Cryptography;
using Jobwright.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Jobwright.Server;

/// <summary>Turns on authentication for Jobwright's endpoints (SPEC §7): users, API keys and JWT bearer tokens behind one scheme.</summary>
public static class JobwrightSecurityServiceCollectionExtensions
{
    /// <summary>The scheme that picks, for each request, the scheme its credentials are for.</summary>
    public const string Scheme = "Jobwright";

    private const string JwtScheme = "Jwt";

    public static IServiceCollection AddJobwrightSecurity(this IServiceCollection services, Action<JobwrightSecurityOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var security = new JobwrightSecurityOptions();
        configure(security);
        services.Configure(configure);
        if (security.JwtAudience is not null && !security.JwtEnabled)
        {
            throw new InvalidOperationException("--jwt-audience needs --jwt-authority or --jwt-signing-key: say where the tokens' keys come from.");
        }

        if (security.JwtAuthority is not null && security.JwtSigningKeyFile is not null)
        {
            throw new InvalidOperationException("--jwt-authority and --jwt-signing-key are two ways to the tokens' keys: give one of them.");
        }

        if (!security.Enabled)
        {
            return services;
        }

        // Read now: a file that is missing or damaged stops the start, naming it (a typo would otherwise lock everyone out).
        Check(security.UsersFile, "users", "--users", f => new PrincipalFile<UserEntry>(f, "users").Read());
        Check(security.KeysFile, "keys", "--keys", f => new PrincipalFile<ApiKeyEntry>(f, "keys").Read());
        services.TryAddSingleton<PrincipalDirectory>();
        services.TryAddSingleton<LogonThrottle>();
        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Jobwright", o => o.ForwardDefaultSelector = http => SchemeFor(http, security))
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, HmcSessionAuthenticationHandler>(HmcSessionAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, RedfishSessionAuthenticationHandler>(RedfishSessionAuthenticationHandler.SchemeName, null);
        if (security.UsersFile is not null)
        {
            authentication.AddCookie(Jobwright.Server.Dashboard.LoginEndpoints.CookieScheme, ConfigureCookie);
        }

        if (security.JwtEnabled)
        {
            // Read now: a key file that is missing or not a key stops the start, naming it.
            var signingKey = security.JwtSigningKeyFile is { } file ? ReadPublicKey(file) : null;
            authentication.AddJwtBearer(JwtScheme, o => ConfigureJwt(o, security, signingKey));
        }

        return services;
    }

    private static void Check(string? file, string kind, string option, Action<string> read)
    {
        if (file is null)
        {
            return;
        }

        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{option} {file}: there is no such file; make it with 'jobwright {kind} add NAME --role ROLE --file {file}'.");
        }

        read(file);
    }

    // The HMC's clients send "Authorization: Basic Og==" beside their session: the session decides.
    private static string SchemeFor(HttpContext http, JobwrightSecurityOptions security)
    {
        if (http.Request.Headers.ContainsKey(HmcSessionAuthenticationHandler.Header))
        {
            return HmcSessionAuthenticationHandler.SchemeName;
        }

        if (http.Request.Headers.ContainsKey(RedfishSessionAuthenticationHandler.Header))
        {
            return RedfishSessionAuthenticationHandler.SchemeName;
        }

        if (http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.StartsWith(Credentials.KeyPrefix, StringComparison.Ordinal) || !security.JwtEnabled ? ApiKeyAuthenticationHandler.SchemeName : JwtScheme;
        }

        if (authorization.Length == 0 && security.UsersFile is not null &&
            (http.Request.Cookies.ContainsKey(Jobwright.Server.Dashboard.LoginEndpoints.CookieName) || IsDashboardPage(http.Request)))
        {
            // A browser: its session cookie, or (on a page, with none) the login page.
            return Jobwright.Server.Dashboard.LoginEndpoints.CookieScheme;
        }

        return BasicAuthenticationHandler.SchemeName;
    }

    private static bool IsDashboardPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/rest") && !request.Path.StartsWithSegments("/redfish") &&
        !request.Path.StartsWithSegments("/metrics") && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static void ConfigureCookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = Jobwright.Server.Dashboard.LoginEndpoints.CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(30);
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/login";
        cookie.LogoutPath = "/logout";
        cookie.ReturnUrlParameter = "returnUrl";
        // The page's own calls (fetch, EventSource) get a 401 to act on, not a redirect to a page.
        cookie.Events.OnRedirectToLogin = context =>
        {
            if (!IsDashboardPage(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, JobwrightSecurityOptions security, SecurityKey? signingKey)
    {
        jwt.MapInboundClaims = false;
        jwt.Audience = security.JwtAudience;
        jwt.TokenValidationParameters.ValidAudience = security.JwtAudience;
        jwt.TokenValidationParameters.ValidateAudience = security.JwtAudience is not null;
        jwt.TokenValidationParameters.NameClaimType = security.JwtNameClaim;
        jwt.TokenValidationParameters.RoleClaimType = security.JwtRoleClaim;
        if (security.JwtAuthority is { } authority)
        {
            jwt.Authority = authority;
            return;
        }

        // A signing key and no authority: the tokens' issuer is whatever signs with that key.
        jwt.TokenValidationParameters.ValidateIssuer = false;
        jwt.TokenValidationParameters.IssuerSigningKey = signingKey;
    }

    private static SecurityKey ReadPublicKey(string path)
    {
        var pem = File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"--jwt-signing-key {path}: there is no such file.");
        // The PEM's own label and key info say which kind it is: try RSA, then EC.
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
        }

        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException($"--jwt-signing-key {path}: not a PEM RSA or EC public key ({e.Message}).", e);
        }
    }
}
