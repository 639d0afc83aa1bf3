using Jobwright.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests;

/// <summary>SIGKILL the real node while a job runs; the restarted node finds every acknowledged job.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));

    public CrashRecoveryTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task A_node_killed_while_a_job_runs_restarts_with_that_job_FAILED_BEFORE_COMPLETION_and_every_acknowledged_job_kept()
    {
        var store = "sqlite:" + Path.Combine(_directory, "jobwright.db");
        string[] arguments = ["serve", "--listen", "http://127.0.0.1:0", "--store", store, "--samples", "--name", "crash-node", "--workers", "2"];
        var acknowledged = new List<long>();
        long running;
        await using (var first = await NodeProcess.StartAsync(arguments))
        {
            running = await SubmitAsync(first.Http, new { operation = "Simulate", parameters = new { durationMs = 120000, tasks = 2 } });
            acknowledged.Add(running);
            await WaitForAsync(first.Http, running, j => j["status"]!.GetValue<string>() == "RUNNING");
            for (var i = 0; i < 20; i++)
            {
                acknowledged.Add(await SubmitAsync(first.Http, new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 1 } }));
                acknowledged.Add(await SubmitAsync(first.Http, new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) }));
            }

            await first.KillAsync();
        }

        await using var second = await NodeProcess.StartAsync(arguments);
        var interrupted = await GetAsync(second.Http, running);
        Assert.Equal("FAILED_BEFORE_COMPLETION", interrupted["status"]!.GetValue<string>());
        Assert.Equal("interrupted: node stopped (node crash-node)", interrupted["error"]!["message"]!.GetValue<string>());
        var last = interrupted["history"]!.AsArray()[^1]!;
        Assert.Equal("RUNNING", last["from"]!.GetValue<string>());
        Assert.Equal("recovery", last["actor"]!.GetValue<string>());

        foreach (var id in acknowledged.Skip(1))
        {
            // A quick job may have been running at the kill (and so ended FAILED_BEFORE_COMPLETION); none may be lost or stuck.
            var job = await WaitForAsync(second.Http, id, j => j["status"]!.GetValue<string>() is not ("NOT_STARTED" or "RUNNING") || j["notStartedReason"]?["code"]?.GetValue<string>() == "SCHEDULED");
            Assert.Equal(id, job["jobId"]!.GetValue<long>());
        }
    }

    private static async Task<long> SubmitAsync(HttpClient http, object request)
    {
        var response = await http.PostAsJsonAsync("/api/v1/jobs", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, long id)
    {
        var response = await http.GetAsync($"/api/v1/jobs/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"job {id} answered {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient http, long id, Func<JsonObject, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var job = await GetAsync(http, id);
        while (!condition(job))
        {
            timeout.Token.ThrowIfCancellationRequested();
            job = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=10s&version={job["version"]}", timeout.Token))!;
        }

        return job;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
