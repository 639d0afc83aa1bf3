using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Jobwright.Server.Dashboard;

/// <summary>The dashboard: one page (HTML, script, style) embedded in the node, served with a strict Content-Security-Policy.</summary>
internal static class DashboardEndpoints
{
    // No inline script or style: everything the page runs comes from /ui/*.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private static readonly FrozenDictionary<string, (byte[] Content, string Type)> Files = Load();

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        foreach (var page in new[] { "/", "/jobs", "/jobs/{id:long}", "/attention", "/schedules", "/schedules/{id:long}", "/audit" })
        {
            app.MapGet(page, (HttpContext http) => Serve(http, "index.html")).RequireAuthorization(Security.JobwrightPolicies.Reader);
        }

        // The page's script and style hold nothing of the node's: the login page needs them before anyone is known.
        app.MapGet("/ui/{file}", (HttpContext http, string file) =>
            Files.ContainsKey(file) && file != "index.html" ? Serve(http, file) : Results.NotFound()).AllowAnonymous();
        app.MapLoginEndpoints();
    }

    private static IResult Serve(HttpContext http, string name)
    {
        var (content, type) = Files[name];
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(content, type);
    }

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        const string Prefix = "Jobwright.Dashboard.";
        var embedded = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[Prefix.Length..], n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                var type = Path.GetExtension(n) switch
                {
                    ".html" => "text/html; charset=utf-8",
                    ".js" => "text/javascript; charset=utf-8",
                    ".css" => "text/css; charset=utf-8",
                    _ => "application/octet-stream",
                };
                return (memory.ToArray(), type);
            });
        embedded[StatusScript.FileName] = (StatusScript.Generate(), "text/javascript; charset=utf-8");
        return embedded.ToFrozenDictionary();
    }
}
