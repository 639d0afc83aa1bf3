using Jobwright.TestSupport;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Cluster.Tests;

/// <summary>The JSON API calls the cluster tests make.</summary>
internal static class Api
{
    public static async Task<long> SubmitAsync(HttpClient http, object request)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/jobs", request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
    }

    public static async Task<JsonObject> GetAsync(HttpClient http, long id)
    {
        using var response = await http.GetAsync($"/api/v1/jobs/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"job {id} answered {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static string Status(JsonObject job) => job["status"]!.GetValue<string>();

    /// <summary>Long-polls the job until <paramref name="condition"/> holds.</summary>
    public static async Task<JsonObject> WaitForAsync(HttpClient http, long id, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var job = await GetAsync(http, id);
        while (!condition(job))
        {
            limit.Token.ThrowIfCancellationRequested();
            job = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=10s&version={job["version"]}", limit.Token))!;
        }

        return job;
    }

    /// <summary>
    /// Reads the node's counts again after each change it streams (a burst of changes is one read), until
    /// <paramref name="condition"/> holds or <paramref name="timeout"/> passes.
    /// </summary>
    public static Task<JsonObject> WaitForCountsAsync(HttpClient http, Func<JsonObject, bool> condition, TimeSpan timeout) =>
        NodeChanges.UntilAsync(http, async ct => (await http.GetFromJsonAsync<JsonObject>("/api/v1/stats", ct))!["counts"]!.AsObject(), condition, timeout);

    public static long Count(JsonObject counts, params string[] statuses) => statuses.Sum(s => counts[s]!.GetValue<long>());

    public static readonly string[] Terminal =
    [
        "COMPLETED_OK", "COMPLETED_WITH_WARNINGS", "COMPLETED_WITH_ERROR", "FAILED_TO_START", "FAILED_BEFORE_COMPLETION",
        "FAILED_BEFORE_COMPLETION_RETRY", "CANCELED_BEFORE_START", "CANCELED_WHILE_RUNNING",
    ];
}
