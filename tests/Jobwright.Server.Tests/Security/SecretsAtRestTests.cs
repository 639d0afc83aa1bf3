using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jobwright.Server.Tests.Hmc;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests.Security;

/// <summary>
/// After a node with authentication has taken logons (right and wrong), keys and a job with a sensitive
/// parameter that its step prints, neither its database files nor its log hold a password, a key or the
/// sensitive value in clear text.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string Password = "pw-7e1c0d9b44";
    private const string WrongPassword = "guess-51aa90f3";
    private const string Secret = "tok-c0ffee5eed";

    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-secrets-").FullName;

    [Fact]
    public async Task No_password_key_or_sensitive_value_is_in_the_database_or_the_log()
    {
        var users = Path.Combine(_directory, "users.json");
        Assert.Equal(0, (await CliTests.RunWithInputAsync(Password + "\n", "users", "add", "hscroot", "--role", "admin", "--file", users)).Code);
        var keys = Path.Combine(_directory, "keys.json");
        var (_, key, _) = await CliTests.RunAsync("keys", "add", "ci", "--role", "operator", "--file", keys);
        key = key.Trim();
        var operations = Path.Combine(_directory, "ops.yaml");
        await File.WriteAllTextAsync(operations, Declared.SecretMaskTests.Operations);

        string log;
        await using (var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "jobs.db"), "--users", users, "--keys", keys, "--operations", operations))
        {
            var hmc = new HmcTestClient(node.Http);
            using (var wrong = await hmc.SendAsync(HttpMethod.Put, "/rest/api/web/Logon", HmcTestClient.LogonRequest("hscroot", WrongPassword), "LogonRequest"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }

            await hmc.LogOnAsync("hscroot", Password);
            using var badBasic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
            badBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("hscroot:" + WrongPassword)));
            Assert.Equal(HttpStatusCode.Unauthorized, (await node.Http.SendAsync(badBasic)).StatusCode);

            using var submit = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { operation = "Leak", group = "Test", parameters = new { token = Secret } }) };
            submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var submitted = await node.Http.SendAsync(submit);
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            var record = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
            var id = record["jobId"]!.GetValue<long>();
            // Long-poll the JSON API until the job ends (each answer is a change), then read it through the HMC API.
            while (record["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING")
            {
                using var wait = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{id}?wait=10s&version={record["version"]}");
                wait.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                record = (await (await node.Http.SendAsync(wait)).Content.ReadFromJsonAsync<JsonObject>())!;
            }

            var job = await hmc.JobAsync(id);

            // Leak prints the value and fails its step: the value is in its output and its error, both masked.
            Assert.Equal("COMPLETED_WITH_ERROR", HmcTestClient.Value(job, "Status"));
            Assert.Contains("the token is ***", job.ToString(), StringComparison.Ordinal);
            await node.StopAsync();
            log = node.Output;
        }

        var stored = string.Concat(Directory.GetFiles(_directory, "jobs.db*").Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.Contains("Leak", stored, StringComparison.Ordinal);
        foreach (var (what, text) in new[] { ("database", stored), ("log", log), ("users file", await File.ReadAllTextAsync(users)), ("keys file", await File.ReadAllTextAsync(keys)) })
        {
            foreach (var secret in new[] { Password, WrongPassword, key, Secret })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the {what} holds '{secret}' in clear text");
            }
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
