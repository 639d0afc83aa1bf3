using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jobwright.Server.Tests.Hmc;

namespace Jobwright.Server.Tests.Security;

/// <summary>
/// Who may do what, cell by cell: anonymous, a reader, an operator inside its scope (Sample/*), an operator
/// outside it (LogicalPartition/*) and an admin, over the JSON API, server-sent events, metrics, the
/// dashboard and the HMC API. A job outside a caller's scope is a 404, never a 403.
/// </summary>
public sealed class RoleMatrixTests : IAsyncLifetime
{
    private SecuredNode _secured = null!;

    private enum Who
    {
        Anonymous,
        Reader,
        OperatorInScope,
        OperatorOutOfScope,
        Admin,
    }

    public async Task InitializeAsync() => _secured = await SecuredNode.StartAsync();

    public async Task DisposeAsync() => await _secured.DisposeAsync();

    [Fact]
    public async Task Every_role_gets_the_answer_its_cell_says_on_every_API()
    {
        var sampleJob = await AdminSubmitAsync(Waiting("Sample"));
        var failures = new List<string>();

        async Task Cell(string what, Func<Task<HttpRequestMessage>> request, params int[] expected)
        {
            var who = Enum.GetValues<Who>();
            for (var i = 0; i < who.Length; i++)
            {
                using var message = await request();
                Authenticate(message, who[i]);
                using var response = await _secured.Node.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
                if ((int)response.StatusCode != expected[i])
                {
                    failures.Add($"{what} as {who[i]}: {(int)response.StatusCode}, expected {expected[i]}");
                }
            }
        }

        HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

        await Cell("GET a Sample job", async () => Get($"/api/v1/jobs/{sampleJob}"), 401, 200, 200, 404, 200);
        await Cell("submit Sample/Simulate", async () => Json(HttpMethod.Post, "/api/v1/jobs", Waiting("Sample")), 401, 403, 202, 403, 202);
        await Cell("submit LogicalPartition/PowerOn", async () => Json(HttpMethod.Post, "/api/v1/jobs", Waiting("LogicalPartition")), 401, 403, 403, 202, 202);
        await Cell("cancel a Sample job", async () => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{await AdminSubmitAsync(Waiting("Sample"))}/cancel"), 401, 403, 200, 404, 200);
        await Cell("delete an ended Sample job", async () => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/jobs/{await EndedSampleJobAsync()}"), 401, 403, 403, 403, 204);
        await Cell("list jobs", async () => Get("/api/v1/jobs"), 401, 200, 200, 200, 200);
        await Cell("stats", async () => Get("/api/v1/stats"), 401, 200, 200, 200, 200);
        await Cell("operations", async () => Get("/api/v1/operations"), 401, 200, 200, 200, 200);
        await Cell("the events stream", async () => Get("/api/v1/events"), 401, 200, 200, 200, 200);
        await Cell("a Sample job's events", async () => Get($"/api/v1/jobs/{sampleJob}/events"), 401, 200, 200, 404, 200);
        await Cell("metrics", async () => Get("/metrics"), 401, 403, 403, 403, 200);
        await Cell("the audit trail", async () => Get("/api/v1/audit"), 401, 403, 403, 403, 200);
        await Cell("the dashboard", async () => Get("/"), 401, 200, 200, 200, 200);
        await Cell("an unknown path", async () => Get("/api/v1/nothing"), 401, 404, 404, 404, 404);
        await Cell("health", async () => Get("/healthz"), 200, 200, 200, 200, 200);
        await Cell("HMC: GET a Sample job", async () => Get($"/rest/api/uom/jobs/{sampleJob}"), 401, 200, 200, 404, 200);
        await Cell("HMC: a template", async () => Get("/rest/api/uom/Sample/do/Simulate"), 401, 200, 200, 200, 200);
        await Cell("HMC: invoke Sample/Simulate", async () => Xml("/rest/api/uom/Sample/do/Simulate", HmcTestClient.JobRequest("Simulate", "Sample", ("durationMs", "1"))), 401, 403, 200, 403, 200);
        await Cell("HMC: cancel a Sample job", async () => new HttpRequestMessage(HttpMethod.Post, $"/rest/api/uom/jobs/{await AdminSubmitAsync(Waiting("Sample"))}/cancel"), 401, 403, 200, 404, 200);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_scoped_operator_lists_counts_and_streams_only_the_jobs_of_its_scope()
    {
        var sample = await AdminSubmitAsync(Waiting("Sample"));
        var partition = await AdminSubmitAsync(Waiting("LogicalPartition"));
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        Authenticate(list, Who.OperatorOutOfScope);
        var jobs = (await (await _secured.Node.Http.SendAsync(list)).Content.ReadFromJsonAsync<JsonObject>())!["jobs"]!.AsArray();
        Assert.Equal([partition], jobs.Select(j => j!["jobId"]!.GetValue<long>()));

        using var stats = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stats");
        Authenticate(stats, Who.OperatorOutOfScope);
        var counts = (await (await _secured.Node.Http.SendAsync(stats)).Content.ReadFromJsonAsync<JsonObject>())!["counts"]!.AsObject();
        Assert.Equal(1, counts.Sum(c => c.Value!.GetValue<long>()));

        using var all = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        Authenticate(all, Who.Reader);
        var everything = (await (await _secured.Node.Http.SendAsync(all)).Content.ReadFromJsonAsync<JsonObject>())!["jobs"]!.AsArray();
        Assert.Equal([partition, sample], everything.Select(j => j!["jobId"]!.GetValue<long>()));
    }

    [Fact]
    public async Task The_submitter_of_a_job_is_the_authenticated_name()
    {
        using var submit = Json(HttpMethod.Post, "/api/v1/jobs", Waiting("Sample"));
        Authenticate(submit, Who.OperatorInScope);
        var job = (await (await _secured.Node.Http.SendAsync(submit)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("olivia", job["submitter"]!.GetValue<string>());
    }

    private void Authenticate(HttpRequestMessage message, Who who) => message.Headers.Authorization = who switch
    {
        Who.Reader => SecuredNode.Bearer(_secured.ReaderKey),
        Who.OperatorInScope => SecuredNode.Basic("olivia", SecuredNode.OperatorPassword),
        Who.OperatorOutOfScope => SecuredNode.Bearer(_secured.OutOfScopeKey),
        Who.Admin => SecuredNode.Bearer(_secured.Token("ada", "admin")),
        _ => null,
    };

    private static object Waiting(string group) => group == "Sample"
        ? new { operation = "Simulate", group, parameters = new { durationMs = 1 }, notBefore = "2099-01-01T00:00:00Z" }
        : new { operation = "PowerOn", group, target = "lpar-1", parameters = new { durationMs = 1 }, notBefore = "2099-01-01T00:00:00Z" };

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) => new(method, path) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Xml(string path, string body)
    {
        var message = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, Encoding.UTF8) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.ibm.powervm.web+xml; type=JobRequest");
        return message;
    }

    private async Task<long> AdminSubmitAsync(object body)
    {
        using var message = Json(HttpMethod.Post, "/api/v1/jobs", body);
        Authenticate(message, Who.Admin);
        using var response = await _secured.Node.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
    }

    private async Task<long> EndedSampleJobAsync()
    {
        var id = await AdminSubmitAsync(Waiting("Sample"));
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{id}/cancel");
        Authenticate(cancel, Who.Admin);
        Assert.Equal(HttpStatusCode.OK, (await _secured.Node.Http.SendAsync(cancel)).StatusCode);
        return id;
    }
}
