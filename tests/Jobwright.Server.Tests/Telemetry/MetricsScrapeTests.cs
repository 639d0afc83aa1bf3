using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobwright.TestSupport;
using Npgsql;

namespace Jobwright.Server.Tests.Telemetry;

/// <summary>
/// /metrics of a real `jobwright serve` node on PostgreSQL, read with the Prometheus client's own text parser
/// (Debian's python3-prometheus-client): every metric docs/observability.md lists is there, and the
/// waiting-by-reason gauge says what the job list says of its NOT_STARTED jobs.
/// </summary>
public sealed partial class MetricsScrapeTests
{
    private static readonly string Root = Packaging.PackedLibraries.RepositoryRoot;

    [Fact]
    public async Task Every_documented_metric_is_scraped_and_waiting_by_reason_matches_the_job_list()
    {
        var server = await PostgresServer.Shared;
        var database = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("metrics")).Database!;
        var key = Path.Combine(Path.GetTempPath(), "jobwright-metrics-" + Guid.NewGuid().ToString("N") + ".key");
        await using var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://127.0.0.1:0", "--store", server.Url(database), "--samples", "--workers", "1", "--lease", "3s", "--key-file", key, "--name", "metrics-node");
        var http = node.Http;

        // One job run to its end (the counters and histograms), then one that holds the only slot and its target.
        await WaitForStatusAsync(http, await SubmitAsync(http, new { operation = "Simulate", parameters = new { tasks = 1, durationMs = 10 } }), "COMPLETED_OK");
        var holder = await SubmitAsync(http, new { operation = "Simulate", target = "lpar-1", parameters = new { tasks = 1, durationMs = 600_000 } });
        await WaitForStatusAsync(http, holder, "RUNNING");
        await SubmitAsync(http, new { operation = "Simulate", target = "lpar-1", parameters = new { tasks = 1 } });
        await SubmitAsync(http, new { operation = "Simulate", parameters = new { tasks = 1 } });
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await SubmitAsync(http, new { operation = "Simulate", notBefore = "2099-01-01T00:00:00Z", parameters = new { tasks = 1 } });
        }

        var listed = (await http.GetFromJsonAsync<JsonObject>("/api/v1/jobs?status=NOT_STARTED&limit=1000"))!["jobs"]!.AsArray()
            .GroupBy(j => j!["notStartedReason"]!["code"]!.GetValue<string>()).ToDictionary(g => g.Key, g => (double)g.Count());
        var samples = await ScrapeAsync(http);

        var waiting = samples.Where(s => s.Name == "jobwright_jobs_waiting").ToDictionary(s => s.Labels["jobwright_not_started_reason"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["QUEUED"] = 1, ["SCHEDULED"] = 2, ["TARGET_BUSY"] = 1 }, listed);
        Assert.Equal(listed, waiting);
        Assert.Equal(["QUEUED", "SCHEDULED", "TARGET_BUSY"], samples.Where(s => s.Name == "jobwright_jobs_waiting_oldest_age_seconds").Select(s => s.Labels["jobwright_not_started_reason"]).Order());
        Assert.Equal(4, Gauge(samples, "jobwright_jobs", "jobwright_job_status", "NOT_STARTED"));
        Assert.Equal(1, Gauge(samples, "jobwright_jobs", "jobwright_job_status", "RUNNING"));
        Assert.Equal(1, Gauge(samples, "jobwright_jobs", "jobwright_job_status", "COMPLETED_OK"));
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "jobwright_worker_slots").Value);
        Assert.Equal(0, Assert.Single(samples, s => s.Name == "jobwright_worker_slots_free").Value);
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "jobwright_jobs_running").Value);
        Assert.Equal(6, Gauge(samples, "jobwright_jobs_submitted_total", "jobwright_operation", "Sample/Simulate"));
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "jobwright_jobs_finished_total" && s.Labels["jobwright_job_status"] == "COMPLETED_OK").Value);

        var names = samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedMetric().Matches(await File.ReadAllTextAsync(Path.Combine(Root, "docs", "observability.md"))).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(documented.Length >= 16, $"the metrics table of docs/observability.md lists {documented.Length} metrics");
        Assert.All(documented, name => Assert.True(names.Contains(name) || names.Contains(name + "_count"), $"{name} is documented but not scraped"));
        // No job id, target or parameter value as a metric attribute.
        Assert.DoesNotContain(samples, s => s.Labels.Values.Contains("lpar-1") || s.Labels.ContainsKey("jobwright_job_id"));
    }

    private static double Gauge(IEnumerable<Sample> samples, string name, string label, string value) =>
        Assert.Single(samples, s => s.Name == name && s.Labels.GetValueOrDefault(label) == value).Value;

    private static async Task<IReadOnlyList<Sample>> ScrapeAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        var (code, stdout, stderr) = await ProgramRun.RunAsync("/usr/bin/python3", [Path.Combine(Root, "tests", "Jobwright.Server.Tests", "Telemetry", "parse_prometheus.py")], input: text);
        Assert.True(code == 0, stderr);
        return JsonSerializer.Deserialize<Sample[]>(stdout, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static async Task<long> SubmitAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["jobId"]!.GetValue<long>();
    }

    private static async Task WaitForStatusAsync(HttpClient http, long jobId, string status)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var job = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{jobId}", limit.Token))!;
        while (job["status"]!.GetValue<string>() != status)
        {
            job = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{jobId}?wait=10s&version={job["version"]}", limit.Token))!;
        }
    }

    // A row of the metrics table: | `instrument` | `prometheus_name` | …
    [GeneratedRegex(@"^\| `[a-z._]+` \| `([a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedMetric();

    private sealed record Sample(string Family, string Type, string Name, Dictionary<string, string> Labels, double Value);
}
