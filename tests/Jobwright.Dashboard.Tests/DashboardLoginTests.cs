using System.Net;
using Jobwright.Server.Security;
using Jobwright.TestSupport;
using Microsoft.Playwright;

namespace Jobwright.Dashboard.Tests;

/// <summary>
/// The dashboard of a node with a users file, in a real Chromium: a page asks for the login page, a wrong
/// password stays there with a 401, the right one gives an HttpOnly, SameSite=Strict session cookie and the
/// page asked for; the login form carries an antiforgery token, and a post without it is refused.
/// </summary>
[Collection(nameof(BrowserFixture))]
public sealed class DashboardLoginTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "dashboard-pass-1";

    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-login-").FullName;
    private LoopbackNode _node = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        var users = new PrincipalFile<UserEntry>(Path.Combine(_directory, "users.json"), "users");
        users.Put("viewer", new UserEntry { Role = "reader", PasswordHash = Credentials.HashPassword("viewer", Password) });
        users.Put("boss", new UserEntry { Role = "admin", PasswordHash = Credentials.HashPassword("boss", Password) });
        _node = await LoopbackNode.StartAsync(s => s with { Security = new JobwrightSecurityOptions { UsersFile = users.Path } });
        _context = await browser.Browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_page_leads_to_the_login_form_and_the_right_password_leads_back_with_a_strict_session_cookie()
    {
        await _page.GotoAsync($"{_node.Url}/jobs");
        await Assertions.Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?returnUrl="));
        Assert.Equal(1, await _page.Locator("#login input[name=__RequestVerificationToken]").CountAsync());

        await _page.FillAsync("#user", "viewer");
        await _page.FillAsync("#password", "wrong-password");
        var refused = await _page.RunAndWaitForResponseAsync(() => _page.ClickAsync("#login button[type=submit]"), r => r.Url.EndsWith("/login", StringComparison.Ordinal));
        Assert.Equal(401, refused.Status);
        await Assertions.Expect(_page.Locator("#login [role=alert]")).ToContainTextAsync("not right");

        await _page.FillAsync("#user", "viewer");
        await _page.FillAsync("#password", Password);
        await _page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(_page).ToHaveURLAsync($"{_node.Url}/jobs");
        await Assertions.Expect(_page.Locator("#filters")).ToBeVisibleAsync();

        var session = Assert.Single(await _context.CookiesAsync(), c => c.Name == ".Jobwright.Session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        // Plain http on loopback here: Secure is set when the node is reached over https.
        Assert.False(session.Secure);
    }

    [Fact]
    public async Task An_admin_sees_the_logons_on_the_audit_page_and_a_reader_is_told_it_may_not()
    {
        await LogInAsync("viewer");
        await _page.GotoAsync($"{_node.Url}/audit");
        await Assertions.Expect(_page.Locator("#audit [role=alert]")).ToContainTextAsync("role does not allow");
        await _context.ClearCookiesAsync();

        await LogInAsync("boss");
        await _page.GotoAsync($"{_node.Url}/audit");
        await Assertions.Expect(_page.Locator("#audit tbody tr").First).ToContainTextAsync("boss");
        await Assertions.Expect(_page.Locator("#audit tbody")).ToContainTextAsync("viewer");
        Assert.Equal(2, await _page.Locator("#audit tbody tr").CountAsync());
    }

    private async Task LogInAsync(string user)
    {
        await _page.GotoAsync($"{_node.Url}/login");
        await _page.FillAsync("#user", user);
        await _page.FillAsync("#password", Password);
        await _page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(_page).ToHaveURLAsync($"{_node.Url}/");
    }

    [Fact]
    public async Task A_login_post_without_the_form_s_antiforgery_token_is_refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_node.Url) };
        using var post = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "viewer", ["password"] = Password }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.DoesNotContain(post.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(".Jobwright.Session", StringComparison.Ordinal)));
    }
}
