using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Jobwright.Server.Tests.Hmc;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests;

/// <summary>
/// What an outside probe found answered 500, or accepted where it must not: each case is now a 4xx that
/// names what to fix and creates nothing, or (for what another interface let in) an answer that still reads.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, byte[]> BadTextBodies => new()
    {
        { "invalid UTF-8 in a string", [.. "{\"operation\":\"Simulate\",\"target\":\"a"u8, 0xFF, 0xFE, .. "\"}"u8] },
        { "invalid UTF-8 in a name", [.. "{\"operation\":\"Simulate\",\"a"u8, 0xC3, .. "\":1}"u8] },
        { "a lone high surrogate", "{\"operation\":\"Simulate\",\"target\":\"a\\ud800\"}"u8.ToArray() },
        { "a lone low surrogate in a parameter", "{\"operation\":\"Simulate\",\"parameters\":{\"failTasks\":\"\\udc00\"}}"u8.ToArray() },
        { "a key given twice", "{\"operation\":\"Simulate\",\"operation\":\"Simulate\"}"u8.ToArray() },
        { "a nested key given twice", "{\"operation\":\"Simulate\",\"parameters\":{\"tasks\":1,\"tasks\":2}}"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadTextBodies))]
    public async Task A_body_with_text_that_is_not_Unicode_or_a_key_given_twice_is_400_and_creates_nothing(string what, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await _node.Http.PostAsync("/api/v1/jobs", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("body", JsonNode.Parse(text)!["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_key_given_twice_is_named_in_the_answer()
    {
        var content = new StringContent("{\"operation\":\"Simulate\",\"target\":\"a\",\"target\":\"a\"}", Encoding.UTF8, "application/json");
        using var response = await _node.Http.PostAsync("/api/v1/jobs", content);
        Assert.Contains("'target' twice", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submit_without_a_Content_Type_is_415()
    {
        var content = new ByteArrayContent("{\"operation\":\"Simulate\"}"u8.ToArray());
        using var response = await _node.Http.PostAsync("/api/v1/jobs", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("no Content-Type", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await _node.CountJobsAsync());
    }

    [Theory]
    [InlineData("POST", "/api/v1/jobs", "application/json")]
    [InlineData("PUT", "/rest/api/web/Logon", "application/vnd.ibm.powervm.web+xml; type=LogonRequest")]
    public async Task A_chunk_size_that_overflows_is_400_not_500(string method, string path, string contentType)
    {
        var status = await SendRawAsync(
            $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
            "ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
        Assert.Equal(400, status);
        Assert.Equal(0, await _node.CountJobsAsync());
    }

    [Theory]
    [InlineData("NUL", "a\u0000b")]
    [InlineData("ESC", "a\u001bb")]
    [InlineData("LF", "a\nb")]
    public async Task An_idempotency_key_with_a_control_character_is_refused_naming_it(string what, string key)
    {
        using var response = await _node.Http.PostAsync("/api/v1/jobs", Json(new JsonObject { ["operation"] = "Simulate", ["idempotencyKey"] = key }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("idempotencyKey", JsonNode.Parse(text)!["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, await _node.CountJobsAsync());
    }

    [Fact]
    public async Task A_parameter_with_a_character_XML_cannot_carry_is_refused_so_the_HMC_API_can_always_show_the_job()
    {
        using var refused = await _node.Http.PostAsync("/api/v1/jobs", Json(new JsonObject
        {
            ["operation"] = "CLIRunner",
            ["parameters"] = new JsonObject { ["cmd"] = "lssyscfg\u0001-r sys" },
        }));
        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("parameters.cmd", text, StringComparison.Ordinal);
        Assert.Contains("U+0001", text, StringComparison.Ordinal);

        // Tab, line feed and carriage return are text, and the HMC API shows them.
        var id = await _node.SubmitIdAsync(new { operation = "CLIRunner", parameters = new { cmd = "lssyscfg\t-r sys\r\n" } });
        var hmc = new HmcTestClient(_node.Http);
        await hmc.LogOnAsync();
        using var read = await hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task An_HMC_request_with_a_character_reference_XML_forbids_gets_an_HttpErrorResponse_that_is_XML()
    {
        var logon = $"""<LogonRequest xmlns="{HmcTestClient.Web.NamespaceName}" schemaVersion="V1_0"><UserID>u&#1;</UserID><Password>p</Password></LogonRequest>""";
        using var response = await new HmcTestClient(_node.Http).SendAsync(HttpMethod.Put, "/rest/api/web/Logon", logon, "LogonRequest");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
        Assert.Contains("HttpErrorResponse", XDocument.Parse(text).Root!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_naming_a_host_that_is_not_loopback_is_refused_and_creates_nothing()
    {
        // DNS rebinding: a page on evil.example made its name resolve to 127.0.0.1 and posts from there.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = Json(new JsonObject { ["operation"] = "Simulate" }) };
        request.Headers.Host = "evil.example:" + new Uri(_node.Url).Port;
        request.Headers.Add("Origin", "http://evil.example:" + new Uri(_node.Url).Port);
        using var response = await _node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _node.CountJobsAsync());
        foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]" })
        {
            using var loopback = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            loopback.Headers.Host = $"{host}:{new Uri(_node.Url).Port}";
            Assert.Equal(HttpStatusCode.OK, (await _node.Http.SendAsync(loopback)).StatusCode);
        }
    }

    [Fact]
    public async Task A_host_name_given_to_the_node_is_answered()
    {
        await using var node = await TestNode.StartAsync(settings: s => s with { AllowedHosts = ["jobs.internal"] });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "jobs.internal";
        Assert.Equal(HttpStatusCode.OK, (await node.Http.SendAsync(request)).StatusCode);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    // A request HttpClient cannot send (a broken chunk size): written to the socket as it is.
    private async Task<int> SendRawAsync(string request)
    {
        var uri = new Uri(_node.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return int.Parse(statusLine!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
