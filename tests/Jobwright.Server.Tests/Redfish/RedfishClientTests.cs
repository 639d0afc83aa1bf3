using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobwright.Server.Security;
using Jobwright.TestSupport;
using static Jobwright.Server.Tests.Redfish.RedfishHttp;

namespace Jobwright.Server.Tests.Redfish;

/// <summary>
/// Debian's Redfish clients, sushy (python3-sushy) and redfishtool, drive a real node over HTTPS with authentication on,
/// as an operator would: sessions and Basic on the users file (Redfish's role names), a reset of a sample system, and an
/// OK, a partial and a cancelled job waited for through their task monitors.
/// </summary>
public sealed partial class RedfishClientTests : IAsyncLifetime
{
    private const string OperatorPassword = "operator-password-1";
    private const string ViewerPassword = "viewer-password-1";
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-redfish-").FullName;
    private NodeProcess _node = null!;
    private HttpClient _http = null!;
    private string _certificate = null!;

    private string Url => _node.Http.BaseAddress!.ToString().TrimEnd('/');

    private string Host => _node.Http.BaseAddress!.Authority;

    public async Task InitializeAsync()
    {
        var users = new PrincipalFile<UserEntry>(Path.Combine(_directory, "users.json"), "users");
        users.Put("ops", new UserEntry { Role = "Operator", PasswordHash = Credentials.HashPassword("ops", OperatorPassword) });
        users.Put("viewer", new UserEntry { Role = "ReadOnly", PasswordHash = Credentials.HashPassword("viewer", ViewerPassword) });
        _node = await NodeProcess.StartAsync(
            "serve", "--listen", "https://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "jobs.db"), "--samples", "--users", users.Path);
        // The node's self-signed certificate, trusted as such by each client (and by this test's own requests).
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(GeneratedCertificate().Match(_node.Output).Groups[1].Value, password: null);
        _certificate = Path.Combine(_directory, "node.pem");
        await File.WriteAllTextAsync(_certificate, certificate.ExportCertificatePem());
        var thumbprint = certificate.Thumbprint;
        _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint })
        {
            BaseAddress = _node.Http.BaseAddress,
        };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sushy_resets_a_system_and_waits_on_the_task_monitor_for_an_OK_a_partial_and_a_cancelled_job()
    {
        var ok = await SushyAsync("ok");
        Assert.Equal("Off", ok["powerBefore"]!.GetValue<string>());
        Assert.Equal(200, ok["final"]!.GetValue<int>());
        Assert.Equal("COMPLETED_OK", ok["body"]!["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
        Assert.Equal("On", ok["powerAfter"]!.GetValue<string>());
        // sushy logged on with a session and off again at the end: its token is refused afterwards.
        Assert.StartsWith("/redfish/v1/SessionService/Sessions/", ok["session"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(401, ok["afterLogoff"]!.GetValue<int>());
        var job = await JobAsync(ok["task"]!.GetValue<string>());
        Assert.Equal("ComputerSystem/Reset", $"{job["group"]}/{job["operation"]}");
        Assert.Equal("ops", job["submitter"]!.GetValue<string>());

        var partial = await SushyAsync("partial");
        Assert.Equal(200, partial["final"]!.GetValue<int>());
        Assert.Equal("Completed", partial["taskState"]!.GetValue<string>());
        Assert.Equal("Warning", partial["taskStatus"]!.GetValue<string>());
        Assert.Equal("TaskEvent.1.0.TaskCompletedWarning", partial["body"]!["@Message.ExtendedInfo"]![0]!["MessageId"]!.GetValue<string>());
        Assert.Equal("COMPLETED_WITH_WARNINGS", (await JobAsync(partial["task"]!.GetValue<string>()))["status"]!.GetValue<string>());

        var cancel = await SushyAsync("cancel");
        Assert.Equal(202, cancel["delete"]!.GetValue<int>());
        Assert.Equal(409, cancel["final"]!.GetValue<int>());
        Assert.Equal("TaskEvent.1.0.TaskCancelled", cancel["error"]!.GetValue<string>());
        Assert.Equal("Cancelled", cancel["taskState"]!.GetValue<string>());
        Assert.Equal("CANCELED_WHILE_RUNNING", (await JobAsync(cancel["task"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Redfishtool_reads_tasks_with_raw_GET_resets_a_system_and_runs_a_partial_and_a_cancelled_job()
    {
        var (code, output) = await RedfishtoolAsync("ops", OperatorPassword, "-I", "2", "Systems", "reset", "GracefulShutdown");
        Assert.True(code == 0, output);
        var tasks = await RawGetAsync("/redfish/v1/TaskService/Tasks");
        var resetTask = tasks["Members"]![0]!["@odata.id"]!.GetValue<string>();
        var reset = await RawGetAsync(resetTask);
        Assert.Equal("Completed", reset["TaskState"]!.GetValue<string>());
        Assert.Equal("COMPLETED_OK", reset["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/Systems/2/Actions/ComputerSystem.Reset", reset["Payload"]!["TargetUri"]!.GetValue<string>());
        Assert.Equal("Off", (await RawGetAsync("/redfish/v1/Systems/2"))["PowerState"]!.GetValue<string>());

        // A raw POST of an action waits on its monitor (redfishtool polls the Location) and prints the final answer.
        (code, output) = await RedfishtoolAsync("ops", OperatorPassword, "raw", "POST", "/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run", "-d", """{"failTasks": "1", "durationMs": 300}""");
        Assert.True(code == 0, output);
        var partial = JsonNode.Parse(output)!;
        Assert.Equal("COMPLETED_WITH_WARNINGS", partial["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());
        Assert.Equal("Warning", (await RawGetAsync(partial["Oem"]!["Jobwright"]!["task"]!.GetValue<string>()))["TaskStatus"]!.GetValue<string>());

        // Not blocking (-N): the job runs on; the monitor found through its Task cancels it.
        (code, output) = await RedfishtoolAsync("ops", OperatorPassword, "-N", "raw", "POST", "/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run", "-d", """{"durationMs": 600000}""");
        Assert.True(code == 0, output);
        var longTask = (await RawGetAsync("/redfish/v1/TaskService/Tasks"))["Members"]![0]!["@odata.id"]!.GetValue<string>();
        var monitor = (await RawGetAsync(longTask))["TaskMonitor"]!.GetValue<string>();
        (code, output) = await RedfishtoolAsync("ops", OperatorPassword, "raw", "DELETE", monitor);
        Assert.True(code == 0, output);
        var jobId = longTask.Split('/')[^1];
        await WaitForTerminalAsync(jobId);
        var cancelled = await RawGetAsync(longTask);
        Assert.Equal("Cancelled", cancelled["TaskState"]!.GetValue<string>());
        Assert.Equal("CANCELED_WHILE_RUNNING", cancelled["Oem"]!["Jobwright"]!["status"]!.GetValue<string>());

        // ReadOnly reads but may not reset: redfishtool fails, and the node says why as a Redfish error.
        (code, _) = await RedfishtoolAsync("viewer", ViewerPassword, "-I", "1", "Systems", "reset", "On");
        Assert.NotEqual(0, code);
        using var refused = new HttpRequestMessage(HttpMethod.Post, "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset") { Content = new StringContent("""{"ResetType": "On"}""", Encoding.UTF8, "application/json") };
        refused.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("viewer:" + ViewerPassword)));
        var answer = await _http.SendAsync(refused);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("Base.1.19.InsufficientPrivilege", JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sessions_log_on_with_the_users_file_and_end_when_deleted_and_every_refusal_is_a_Redfish_error()
    {
        var anonymous = await GetAsync(_http, "/redfish/v1/TaskService/Tasks");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("Base.1.19.NoValidSession", anonymous.Body["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_http, "/redfish/v1")).Status);

        var wrong = await PostAsync(_http, "/redfish/v1/SessionService/Sessions", """{"UserName": "ops", "Password": "nope"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.False(wrong.Response.Headers.Contains("X-Auth-Token"));
        var missing = await PostAsync(_http, "/redfish/v1/SessionService/Sessions", """{"UserName": "ops"}""");
        Assert.Equal("Base.1.19.PropertyMissing", missing.Body["error"]!["code"]!.GetValue<string>());

        var created = await PostAsync(_http, "/redfish/v1/SessionService/Sessions", $$"""{"UserName": "ops", "Password": "{{OperatorPassword}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var token = created.Response.Headers.GetValues("X-Auth-Token").Single();
        Assert.Equal(created.Location, created.Body["@odata.id"]!.GetValue<string>());
        Assert.Equal("ops", created.Body["UserName"]!.GetValue<string>());

        using var withToken = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = _http.BaseAddress };
        withToken.DefaultRequestHeaders.Add("X-Auth-Token", token);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(withToken, "/redfish/v1/TaskService/Tasks")).Status);
        var sessions = await GetAsync(withToken, "/redfish/v1/SessionService/Sessions");
        Assert.Equal(created.Location, sessions.Body["Members"]![0]!["@odata.id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(withToken, created.Location!)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(withToken, "/redfish/v1/TaskService/Tasks")).Status);
    }

    private async Task<JsonObject> SushyAsync(string scenario)
    {
        var (code, stdout, stderr) = await ProgramRun.RunAsync(
            "/usr/bin/python3", [Path.Combine(Packaging.PackedLibraries.RepositoryRoot, "tests", "Jobwright.Server.Tests", "Redfish", "sushy_client.py"), Url, _certificate, "ops", OperatorPassword, scenario],
            // requests lets these variables override a session's own CA bundle: the script's must be used.
            environment: new Dictionary<string, string?> { ["REQUESTS_CA_BUNDLE"] = null, ["CURL_CA_BUNDLE"] = null },
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(code == 0, stdout + stderr);
        return JsonNode.Parse(stdout)!.AsObject();
    }

    private async Task<(int Code, string Output)> RedfishtoolAsync(string user, string password, params string[] arguments)
    {
        // -S Always: HTTPS for every request (the node's certificate is self-signed; redfishtool does not check it).
        var (code, stdout, stderr) = await ProgramRun.RunAsync("redfishtool", ["-r", Host, "-S", "Always", "-u", user, "-p", password, "-A", "Session", .. arguments], timeout: TimeSpan.FromMinutes(2));
        return (code, stdout + stderr);
    }

    private async Task<JsonObject> RawGetAsync(string path)
    {
        var (code, output) = await RedfishtoolAsync("viewer", ViewerPassword, "raw", "GET", path);
        Assert.True(code == 0, output);
        return JsonNode.Parse(output)!.AsObject();
    }

    private async Task<JsonObject> JobAsync(string jobId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{jobId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("viewer:" + ViewerPassword)));
        var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task WaitForTerminalAsync(string jobId)
    {
        var version = -1L;
        for (var polls = 0; polls < 30; polls++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{jobId}?wait=10s&version={Math.Max(version, 0)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("viewer:" + ViewerPassword)));
            var job = JsonNode.Parse(await (await _http.SendAsync(request)).Content.ReadAsStringAsync())!;
            if (job["status"]!.GetValue<string>() is not ("NOT_STARTED" or "RUNNING"))
            {
                return;
            }

            version = job["version"]!.GetValue<long>();
        }

        throw new TimeoutException($"job {jobId} did not end");
    }

    [GeneratedRegex(@"TLS certificate (\S+) \(self-signed")]
    private static partial Regex GeneratedCertificate();
}
