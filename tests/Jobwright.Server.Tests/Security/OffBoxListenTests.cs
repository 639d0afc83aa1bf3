using System.Net;
using System.Net.Http.Headers;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests.Security;

/// <summary>
/// A node that others can reach: refused without authentication, refused on plain http unless told
/// (the message names both fixes), and started with them — then every call needs credentials.
/// </summary>
public sealed class OffBoxListenTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-offbox-").FullName;

    [Fact]
    public async Task A_non_loopback_listen_without_authentication_refuses_to_start_naming_the_options()
    {
        var (code, _, stderr) = await CliTests.RunAsync("serve", "--listen", "http://0.0.0.0:0", "--store", Store("none.db"));
        Assert.Equal(1, code);
        Assert.Contains("needs authentication: give --users, --keys or --jwt-signing-key/--jwt-authority", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_loopback_listen_with_authentication_on_plain_http_refuses_to_start_unless_allowed()
    {
        var keys = await KeysFileAsync();
        var (code, _, stderr) = await CliTests.RunAsync("serve", "--listen", "http://0.0.0.0:0", "--store", Store("http.db"), "--keys", keys.File);
        Assert.Equal(1, code);
        Assert.Contains("--allow-insecure-http", stderr, StringComparison.Ordinal);
        Assert.Contains("https://", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_authentication_and_https_a_node_listens_on_every_interface_and_every_call_needs_credentials()
    {
        var keys = await KeysFileAsync();
        await using var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://127.0.0.1:0", "--listen", "https://0.0.0.0:0", "--store", Store("https.db"), "--keys", keys.File, "--samples");
        Assert.Contains("https://0.0.0.0:", node.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Http.GetAsync("/api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("/healthz")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.Key);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Allowed_plain_http_on_every_interface_starts_with_authentication()
    {
        var keys = await KeysFileAsync();
        await using var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://0.0.0.0:0", "--store", Store("insecure.db"), "--keys", keys.File, "--allow-insecure-http");
        // Every interface: loopback among them.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.Http.BaseAddress!.Port}") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/jobs")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.Key);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData("--jwt-audience needs --jwt-authority or --jwt-signing-key", "--jwt-audience", "jobs")]
    [InlineData("give one of them", "--jwt-authority", "https://idp.example", "--jwt-signing-key", "key.pem")]
    public async Task JWT_options_that_cannot_work_together_refuse_to_start_naming_them(string said, params string[] options)
    {
        var (code, _, stderr) = await CliTests.RunAsync(["serve", "--listen", "http://127.0.0.1:0", "--store", Store("jwt.db"), .. options]);
        Assert.Equal(1, code);
        Assert.Contains(said, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_limit_out_of_range_is_a_usage_error()
    {
        var (code, _, stderr) = await CliTests.RunAsync("audit", "--limit", "5000");
        Assert.Equal(2, code);
        Assert.Contains("--limit must be a whole number from 1 to 1000", stderr, StringComparison.Ordinal);
    }

    private string Store(string name) => "sqlite:" + Path.Combine(_directory, name);

    // The CLI writes the keys file as an operator would, and prints the key once.
    private async Task<(string File, string Key)> KeysFileAsync()
    {
        var file = Path.Combine(_directory, "keys.json");
        var (code, stdout, _) = await CliTests.RunAsync("keys", "add", "ci-" + Guid.NewGuid().ToString("N")[..6], "--role", "admin", "--file", file);
        Assert.Equal(0, code);
        return (file, stdout.Trim());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
