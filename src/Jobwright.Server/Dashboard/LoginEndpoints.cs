using System.Net;
using System.Security.Claims;
using Jobwright.Server.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jobwright.Server.Dashboard;

/// <summary>
/// The dashboard's login page: a form (with an antiforgery token) that checks a user of the users file and
/// gives a session cookie (HttpOnly, SameSite=Strict, Secure over https, ending after 30 minutes idle).
/// </summary>
internal static class LoginEndpoints
{
    public const string CookieScheme = "DashboardCookie";
    public const string CookieName = ".Jobwright.Session";

    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery antiforgery, IOptions<JobwrightSecurityOptions> security) =>
            security.Value.UsersFile is null ? Results.Redirect("/") : Page(http, antiforgery, null, StatusCodes.Status200OK, http.Request.Query["returnUrl"].ToString())).AllowAnonymous();

        app.MapPost("/login", async (HttpContext http, IAntiforgery antiforgery, IOptions<JobwrightSecurityOptions> security) =>
        {
            if (security.Value.UsersFile is null)
            {
                return Results.Redirect("/");
            }

            if (!await antiforgery.IsRequestValidAsync(http) || !http.Request.HasFormContentType)
            {
                return Page(http, antiforgery, "The form was stale or not sent from this page: try again.", StatusCodes.Status400BadRequest, "/");
            }

            var form = await http.Request.ReadFormAsync();
            var user = form["user"].ToString().Trim();
            var password = form["password"].ToString();
            var principal = user.Length == 0 || password.Length == 0
                ? null
                : http.RequestServices.GetRequiredService<PrincipalDirectory>().LogOn(user, password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", CookieScheme);
            await http.RequestServices.GetRequiredService<AuditTrail>()
                .RecordAsync(http, user.Length == 0 ? "(none)" : user, "logon", "dashboard", principal is null ? AuditTrail.Refused : AuditTrail.Ok);
            if (principal is null)
            {
                return Page(http, antiforgery, "The user name or password is not right.", StatusCodes.Status401Unauthorized, form["returnUrl"].ToString());
            }

            await http.SignInAsync(CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, CookieScheme, ClaimTypes.Name, ClaimTypes.Role)));
            var back = form["returnUrl"].ToString();
            back = back.Length == 0 ? "/" : back;
            // Only a path of this node: never an address elsewhere (an open redirect).
            return Results.Redirect(back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) && !back.Contains('\\', StringComparison.Ordinal) ? back : "/");
        }).AllowAnonymous().DisableAntiforgery();

        app.MapPost("/logout", async (HttpContext http, IOptions<JobwrightSecurityOptions> security) =>
        {
            if (security.Value.UsersFile is not null)
            {
                await http.SignOutAsync(CookieScheme);
            }

            return Results.Redirect(security.Value.UsersFile is null ? "/" : "/login");
        }).AllowAnonymous();
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? error, int status, string returnUrl)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Log in · Jobwright</title>
              <link rel="icon" href="data:,">
              <link rel="stylesheet" href="/ui/app.css">
            </head>
            <body>
              <header><span class="brand">Jobwright</span></header>
              <main id="main">
                <form id="login" method="post" action="/login">
                  <h1>Log in</h1>
                  {{(error is null ? string.Empty : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
                  <input type="hidden" name="{{WebUtility.HtmlEncode(tokens.FormFieldName)}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                  <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
                  <label for="user">User</label>
                  <input id="user" name="user" autocomplete="username" required autofocus>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Log in</button>
                </form>
              </main>
            </body>
            </html>
            """;
        http.Response.Headers.ContentSecurityPolicy = DashboardEndpoints.ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
