using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jobwright.Server.Tests.Hmc;

namespace Jobwright.Server.Tests.Security;

/// <summary>Submits, cancels, deletes and logons (failed ones too) are audit records, with who, from where, what and how it ended; only admins read them.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private SecuredNode _secured = null!;

    public async Task InitializeAsync() => _secured = await SecuredNode.StartAsync();

    public async Task DisposeAsync() => await _secured.DisposeAsync();

    [Fact]
    public async Task A_failed_and_a_good_HMC_logon_a_submit_a_cancel_and_a_delete_are_audited_and_an_admin_reads_them()
    {
        var hmc = new HmcTestClient(_secured.Node.Http);
        using (var wrong = await hmc.SendAsync(HttpMethod.Put, "/rest/api/web/Logon", HmcTestClient.LogonRequest("hscroot", "wrong-password"), "LogonRequest"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        await hmc.LogOnAsync("hscroot", SecuredNode.AdminPassword);
        var olivia = SecuredNode.Basic("olivia", SecuredNode.OperatorPassword);
        var id = await SendAsync<long>(HttpMethod.Post, "/api/v1/jobs", olivia, new { operation = "Simulate", parameters = new { durationMs = 1 }, notBefore = "2099-01-01T00:00:00Z" }, j => j["jobId"]!.GetValue<long>());
        await SendAsync<string>(HttpMethod.Post, $"/api/v1/jobs/{id}/cancel", olivia, null, j => j["status"]!.GetValue<string>());
        var admin = SecuredNode.Bearer(_secured.Token("ada", "admin"));
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/jobs/{id}"))
        {
            delete.Headers.Authorization = admin;
            Assert.Equal(HttpStatusCode.NoContent, (await _secured.Node.Http.SendAsync(delete)).StatusCode);
        }

        var records = await SendAsync(HttpMethod.Get, "/api/v1/audit", admin, null, j => j["records"]!.AsArray());
        var seen = records.Select(r => $"{r!["actor"]} {r["action"]} {r["subject"]} {r["outcome"]}").Reverse().ToArray();
        Assert.Equal(
            ["hscroot logon HMC API refused", "hscroot logon HMC API ok", $"olivia submit job {id} ok", $"olivia cancel job {id} ok", $"ada delete job {id} ok"],
            seen);
        Assert.All(records, r => Assert.Equal("127.0.0.1", r!["source"]!.GetValue<string>()));

        var logons = await SendAsync(HttpMethod.Get, "/api/v1/audit?action=logon&limit=1", admin, null, j => j);
        Assert.Equal("ok", logons["records"]![0]!["outcome"]!.GetValue<string>());
        var older = await SendAsync(HttpMethod.Get, $"/api/v1/audit?action=logon&limit=1&cursor={logons["nextCursor"]}", admin, null, j => j["records"]!.AsArray());
        Assert.Equal("refused", older.Single()!["outcome"]!.GetValue<string>());

        using var asReader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        asReader.Headers.Authorization = SecuredNode.Bearer(_secured.ReaderKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await _secured.Node.Http.SendAsync(asReader)).StatusCode);
    }

    [Fact]
    public async Task A_failed_Basic_logon_is_audited_without_the_password()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs"))
        {
            request.Headers.Authorization = SecuredNode.Basic("olivia", "not-her-password");
            Assert.Equal(HttpStatusCode.Unauthorized, (await _secured.Node.Http.SendAsync(request)).StatusCode);
        }

        var records = await SendAsync(HttpMethod.Get, "/api/v1/audit?action=logon", SecuredNode.Bearer(_secured.Token("ada", "admin")), null, j => j["records"]!.AsArray());
        var record = Assert.Single(records)!;
        Assert.Equal("olivia", record["actor"]!.GetValue<string>());
        Assert.Equal("refused", record["outcome"]!.GetValue<string>());
        Assert.DoesNotContain("not-her-password", record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_shows_the_audit_trail_with_an_admin_s_token_and_is_refused_with_a_reader_s_key()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs"))
        {
            request.Headers.Authorization = SecuredNode.Basic("olivia", "not-her-password");
            await _secured.Node.Http.SendAsync(request);
        }

        var (code, stdout, stderr) = await CliTests.RunAsync("--server", _secured.Node.Url, "--key", _secured.Token("ada", "admin"), "audit", "--action", "logon", "--json");
        Assert.True(code == 0, stderr);
        var record = Assert.Single(JsonNode.Parse(stdout)!["records"]!.AsArray())!;
        Assert.Equal("olivia", record["actor"]!.GetValue<string>());

        var (refused, _, error) = await CliTests.RunWithEnvironmentAsync(new Dictionary<string, string?> { ["JOBWRIGHT_KEY"] = _secured.ReaderKey }, "--server", _secured.Node.Url, "audit");
        Assert.NotEqual(0, refused);
        Assert.Contains("403", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_added_to_and_revoked_from_the_keys_file_while_the_node_runs_are_audited()
    {
        var keysFile = new Jobwright.Server.Security.PrincipalFile<Jobwright.Server.Security.ApiKeyEntry>(Path.Combine(_secured.Directory, "keys.json"), "keys");
        var reader = SecuredNode.Bearer(_secured.ReaderKey);
        await SendAsync(HttpMethod.Get, "/api/v1/jobs", reader, null, j => j);
        var key = Jobwright.Server.Security.Credentials.NewKey();
        keysFile.Put("new-ci", new Jobwright.Server.Security.ApiKeyEntry { Role = "operator", Sha256 = Jobwright.Server.Security.Credentials.KeyHash(key), Prefix = key[..7], Created = DateTimeOffset.UtcNow });
        await SendAsync(HttpMethod.Get, "/api/v1/jobs", SecuredNode.Bearer(key), null, j => j);
        Assert.True(keysFile.Remove("new-ci"));
        await SendAsync(HttpMethod.Get, "/api/v1/jobs", reader, null, j => j);

        var admin = SecuredNode.Bearer(_secured.Token("ada", "admin"));
        var added = await SendAsync(HttpMethod.Get, "/api/v1/audit?action=key-add", admin, null, j => j["records"]!.AsArray());
        var revoked = await SendAsync(HttpMethod.Get, "/api/v1/audit?action=key-revoke", admin, null, j => j["records"]!.AsArray());
        Assert.Equal("key new-ci", Assert.Single(added)!["subject"]!.GetValue<string>());
        Assert.Equal("key new-ci", Assert.Single(revoked)!["subject"]!.GetValue<string>());
        Assert.DoesNotContain(key, added.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, System.Net.Http.Headers.AuthenticationHeaderValue credentials, object? body, Func<JsonObject, T> read)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = credentials;
        using var response = await _secured.Node.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return read(JsonNode.Parse(Encoding.UTF8.GetBytes(text))!.AsObject());
    }
}
