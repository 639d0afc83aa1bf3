using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using static Jobwright.Server.Tests.Hmc.HmcTestClient;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>
/// The HMC's clients parse every body under /rest/api/ as XML and read its Message: every error there is an
/// HttpErrorResponse, in the content type asked for (XML by default, the JSON variant when asked), never
/// problem+json — unknown paths, wrong methods, bodies too large or not XML, bad ids, missing sessions.
/// </summary>
public sealed class HmcErrorPathTests : HmcTestBase
{
    public static TheoryData<string, string, string?, string?, int> BadRequests => new()
    {
        { "GET", "/rest/api/uom/NoSuchThing", null, null, 404 },
        { "GET", "/rest/api/nothing/here.xml", null, null, 404 },
        { "GET", "/rest/api/uom/jobs/123456", null, null, 404 },
        { "GET", "/rest/api/uom/jobs/abc", null, null, 400 },
        { "GET", "/rest/api/uom/NoGroup/do/NoOperation", null, null, 404 },
        { "POST", "/rest/api/web/Logon", null, null, 405 },
        { "PATCH", "/rest/api/uom/jobs/1", null, null, 405 },
        { "PUT", "/rest/api/uom/Sample/do/Simulate", "{\"operation\":\"Simulate\"}", "application/json", 415 },
        { "PUT", "/rest/api/uom/Sample/do/Simulate", "<JobRequest", "application/xml", 400 },
        { "PUT", "/rest/api/uom/Sample/do/Simulate", "<x>" + new string('a', 2 * 1024 * 1024) + "</x>", "application/xml", 413 },
        { "PUT", "/rest/api/web/Logon", "<LogonRequest xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/\"/>", "application/xml", 401 },
        { "DELETE", "/rest/api/uom/jobs/123456", null, null, 404 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Every_error_under_rest_api_is_an_HttpErrorResponse_in_XML(string method, string path, string? body, string? type, int status)
    {
        using var response = await SendRawAsync(method, path, body, type, accept: null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{method} {path} answered {(int)response.StatusCode}, not {status}: {text}");
        Assert.DoesNotContain("json", response.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        var error = XDocument.Parse(text).Descendants(Web + "HttpErrorResponse").Single();
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Element(Web + "HTTPStatus")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(error.Element(Web + "Message")!.Value), $"{method} {path}: the error says nothing");
        if (status == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task An_error_is_the_JSON_variant_of_HttpErrorResponse_when_the_client_asks_for_it()
    {
        using var response = await SendRawAsync("GET", "/rest/api/uom/NoSuchThing", null, null, accept: "application/vnd.ibm.powervm.web+json");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["HttpErrorResponse"]!;
        Assert.Equal("404", error["HTTPStatus"]!.GetValue<string>());
        Assert.Contains("/rest/api/uom/NoSuchThing", error["Message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_outside_rest_api_stay_problem_details()
    {
        using var response = await SendRawAsync("GET", "/api/v1/no-such-thing", null, null, accept: null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var method = await SendRawAsync("DELETE", "/api/v1/operations", null, null, accept: null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("application/problem+json", method.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Clients_that_send_Basic_Og_and_an_audit_memento_beside_the_session_are_served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rest/api/uom/LogicalPartition/lpar-1/do/PowerOn");
        request.Headers.Add("X-API-Session", Hmc.Session);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "Og==");
        request.Headers.Add("X-Audit-Memento", "hmc_test_client");
        using var response = await Node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendRawAsync(string method, string path, string? body, string? type, string? accept)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("X-API-Session", Hmc.Session);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type!);
            // The body waits for the node's go-ahead: a node that refuses a body too large at once (413) would
            // otherwise close the connection while the client still sends it, and the client would see a broken pipe.
            request.Headers.ExpectContinue = true;
        }

        return await Node.Http.SendAsync(request);
    }
}
