using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Jobwright.Server.Tests.Hmc;

namespace Jobwright.Server.Tests.Security;

/// <summary>Each way in: JWTs (good, wrong audience, expired, foreign key), API keys (revoked, expired), HMC logons with real passwords, Basic.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private SecuredNode _secured = null!;

    public async Task InitializeAsync() => _secured = await SecuredNode.StartAsync();

    public async Task DisposeAsync() => await _secured.DisposeAsync();

    [Fact]
    public async Task A_JWT_signed_by_the_trusted_key_is_accepted_and_one_with_a_wrong_audience_an_expired_one_or_a_foreign_signature_is_not()
    {
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(SecuredNode.Bearer(_secured.Token("ada", "reader"))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Bearer(_secured.Token("ada", "reader", audience: "someone-else"))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Bearer(_secured.Token("ada", "reader", lifetime: TimeSpan.FromMinutes(-10)))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Bearer(_secured.Token("ada", "reader", signedWith: foreign))));
        // A token with no role Jobwright knows is let in by no policy.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(SecuredNode.Bearer(_secured.Token("ada", "guest"))));
    }

    [Fact]
    public async Task A_key_is_accepted_as_Bearer_and_as_X_Api_Key_and_refused_once_revoked()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(SecuredNode.Bearer(_secured.ReaderKey)));
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs"))
        {
            request.Headers.Add("X-Api-Key", _secured.ReaderKey);
            Assert.Equal(HttpStatusCode.OK, (await _secured.Node.Http.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Bearer("jw_made-up")));
        Assert.True(new Jobwright.Server.Security.PrincipalFile<Jobwright.Server.Security.ApiKeyEntry>(Path.Combine(_secured.Directory, "keys.json"), "keys").Remove("dashboard-reader"));
        // The node reads its keys file again when it changes: no restart.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Bearer(_secured.ReaderKey)));
    }

    [Fact]
    public async Task An_HMC_logon_with_a_wrong_password_is_401_the_same_as_an_unknown_user_and_the_right_one_gives_a_working_session()
    {
        var wrong = await LogonAsync("hscroot", "not-the-password");
        var unknown = await LogonAsync("nobody", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(HmcTestClient.Value(wrong.Body, "Message"), HmcTestClient.Value(unknown.Body, "Message"));

        var hmc = new HmcTestClient(_secured.Node.Http);
        await hmc.LogOnAsync("hscroot", SecuredNode.AdminPassword);
        var template = await hmc.SendAsync(HttpMethod.Get, "/rest/api/uom/Sample/do/Simulate");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        // Beside the session, "Authorization: Basic Og==" (as the HMC's clients send it) changes nothing.
        using var withBasic = new HttpRequestMessage(HttpMethod.Get, "/rest/api/uom/Sample/do/Simulate");
        withBasic.Headers.Add("X-API-Session", hmc.Session);
        withBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Og==");
        Assert.Equal(HttpStatusCode.OK, (await _secured.Node.Http.SendAsync(withBasic)).StatusCode);
    }

    [Fact]
    public async Task Failed_logons_are_throttled_per_user_even_the_right_password_then_gets_401()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogonAsync("olivia", "guess-" + i)).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await LogonAsync("olivia", SecuredNode.OperatorPassword)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(SecuredNode.Basic("olivia", SecuredNode.OperatorPassword)));
    }

    [Fact]
    public async Task An_anonymous_JSON_API_request_is_a_401_problem_that_says_how_to_authenticate()
    {
        using var response = await _secured.Node.Http.GetAsync("/api/v1/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stack_trace_of_a_job_that_threw_is_in_ResponseException_only_for_an_authenticated_admin()
    {
        using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1, outcome = "throw" } }),
        };
        var admin = SecuredNode.Bearer(_secured.Token("ada", "admin"));
        submit.Headers.Authorization = admin;
        var id = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>((await _secured.Node.Http.SendAsync(submit)).Content))!["jobId"]!.GetValue<long>();
        var job = await WaitForEndAsync(id, admin);
        Assert.Equal("FAILED_BEFORE_COMPLETION", HmcTestClient.Value(job, "Status"));
        var exception = job.Element(HmcTestClient.Web + "ResponseException")!;
        Assert.Contains("SimulateHandler", exception.Element(HmcTestClient.Web + "StackTrace")!.Value, StringComparison.Ordinal);

        var asReader = await HmcJobAsync(id, SecuredNode.Bearer(_secured.ReaderKey));
        Assert.NotNull(asReader.Element(HmcTestClient.Web + "ResponseException")!.Element(HmcTestClient.Web + "Message"));
        Assert.Null(asReader.Element(HmcTestClient.Web + "ResponseException")!.Element(HmcTestClient.Web + "StackTrace"));
    }

    private async Task<System.Xml.Linq.XElement> WaitForEndAsync(long id, AuthenticationHeaderValue credentials)
    {
        var version = 0L;
        while (true)
        {
            using var wait = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}?wait=10s&version={version}");
            wait.Headers.Authorization = credentials;
            var record = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>((await _secured.Node.Http.SendAsync(wait)).Content))!;
            if (record["status"]!.GetValue<string>() is not ("NOT_STARTED" or "RUNNING"))
            {
                return await HmcJobAsync(id, credentials);
            }

            version = record["version"]!.GetValue<long>();
        }
    }

    private async Task<System.Xml.Linq.XElement> HmcJobAsync(long id, AuthenticationHeaderValue credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rest/api/uom/jobs/{id}");
        request.Headers.Authorization = credentials;
        using var response = await _secured.Node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await HmcTestClient.ObjectAsync(response);
    }

    private async Task<HttpStatusCode> StatusAsync(AuthenticationHeaderValue credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.Authorization = credentials;
        using var response = await _secured.Node.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode Status, System.Xml.Linq.XElement Body)> LogonAsync(string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/rest/api/web/Logon") { Content = new StringContent(HmcTestClient.LogonRequest(user, password), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.ibm.powervm.web+xml; type=LogonRequest");
        using var response = await _secured.Node.Http.SendAsync(request);
        return (response.StatusCode, await HmcTestClient.ObjectAsync(response));
    }
}
