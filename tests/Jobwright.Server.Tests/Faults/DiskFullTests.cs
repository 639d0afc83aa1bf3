using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Client;
using Jobwright.Status;
using Jobwright.TestSupport;
using Xunit.Abstractions;

namespace Jobwright.Server.Tests.Faults;

/// <summary>
/// The SQLite disk fills up under a node (a tmpfs of 8 MiB that the test mounts and then fills): submits
/// answer 503 with Retry-After and a message that says the disk is full, nothing acknowledged is lost,
/// and once space comes back the node takes submits and finishes every job without a restart.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-disk-").FullName;

    private string MountPoint => Path.Combine(_directory, "small");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(MountPoint);
        var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", MountPoint);
        Assert.True(code == 0, $"this test mounts a small tmpfs and needs root for it (./test.sh and .ci/run run as root): mount said {error}");
    }

    [Fact]
    [Trait("Category", "Faults")]
    public async Task When_the_disk_fills_submits_answer_503_nothing_acknowledged_is_lost_and_the_node_recovers_when_space_comes_back()
    {
        await using var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(MountPoint, "jobs.db"), "--samples",
            "--key-file", Path.Combine(_directory, "jobwright.key"));
        var acknowledged = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(node, acknowledged)).Status);
        }

        var filler = Path.Combine(MountPoint, "filler");
        FillDisk(filler);
        // The database may still have free pages of its own: the refusal comes once they are used up.
        var refusal = (Status: HttpStatusCode.Accepted, Body: new JsonObject(), RetryAfter: false);
        for (var i = 0; i < 20_000 && refusal.Status != HttpStatusCode.ServiceUnavailable; i++)
        {
            refusal = await SubmitAsync(node, acknowledged);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusal.Status);
        Assert.True(refusal.RetryAfter, "a 503 says when to try again");
        Assert.Contains("disk is full", refusal.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("jobs.db", refusal.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // Still full: refused again, and nothing is created by a refusal.
        var stored = await CountAsync(node);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SubmitAsync(node, acknowledged)).Status);
        Assert.Equal(stored, await CountAsync(node));

        File.Delete(filler);
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(node, acknowledged)).Status);

        var client = new JobwrightClient(node.Http);
        foreach (var id in acknowledged)
        {
            var job = await client.GetAsync(id);
            while (!job.Status.IsTerminal())
            {
                job = await client.GetChangedAsync(id, job.Version, TimeSpan.FromSeconds(10)) ?? job;
            }

            Assert.True(job.Status == JobStatus.CompletedOk, $"job {id} ended {job.Status.ToWire()}: {job.Error?.Message}");
        }

        output.WriteLine($"{acknowledged.Count} acknowledged, each ended COMPLETED_OK; refused with: {refusal.Body["detail"]}");
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body, bool RetryAfter)> SubmitAsync(NodeProcess node, List<long> acknowledged)
    {
        using var response = await node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Simulate", parameters = new { durationMs = 5, tasks = 1 } });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"a submit answered {(int)response.StatusCode}: {body}");
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            acknowledged.Add(body["jobId"]!.GetValue<long>());
        }

        return (response.StatusCode, body, response.Headers.RetryAfter is not null);
    }

    private static async Task<long> CountAsync(NodeProcess node)
    {
        var counts = (await node.Http.GetFromJsonAsync<JsonObject>("/api/v1/stats"))!["counts"]!.AsObject();
        return counts.Sum(c => c.Value!.GetValue<long>());
    }

    private static void FillDisk(string path)
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // No space left on the device: that was the point.
        }
    }

    private static async Task<(int Code, string Error)> RunAsync(string program, params string[] arguments)
    {
        var (code, _, error) = await ProgramRun.RunAsync(program, arguments);
        return (code, error.Trim());
    }

    public async Task DisposeAsync()
    {
        await RunAsync("umount", "--lazy", MountPoint);
        Directory.Delete(_directory, recursive: true);
    }
}
