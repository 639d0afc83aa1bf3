using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobwright.Cluster.Tests;

/// <summary>
/// A task monitor made by one node answers on every other node of the cluster (they share the key file its id is
/// encrypted with), and its DELETE cancels the job wherever it runs.
/// </summary>
public sealed class RedfishMonitorClusterTests
{
    [Fact]
    public async Task A_monitor_from_one_node_is_polled_and_cancelled_through_another()
    {
        await using var cluster = await Cluster.CreateAsync();
        var a = await cluster.StartNodeAsync("node-a", 16, "--samples");
        var b = await cluster.StartNodeAsync("node-b", 16, "--samples");

        using var started = await a.Http.PostAsync(
            "/redfish/v1/Oem/Jobwright/Operations/Sample/Simulate/Actions/Run",
            new StringContent("""{"durationMs": 60000, "tasks": 1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var monitor = started.Headers.Location!.ToString();
        var id = long.Parse(JsonNode.Parse(await started.Content.ReadAsStringAsync())!["Id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        await Api.WaitForAsync(b.Http, id, j => Api.Status(j) == "RUNNING");

        using var polled = await b.Http.GetAsync(monitor);
        Assert.Equal(HttpStatusCode.Accepted, polled.StatusCode);
        Assert.Equal("Running", JsonNode.Parse(await polled.Content.ReadAsStringAsync())!["TaskState"]!.GetValue<string>());

        using var cancel = await b.Http.DeleteAsync(monitor);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var ended = await Api.WaitForAsync(a.Http, id, j => Api.Status(j) != "RUNNING");
        Assert.Equal("CANCELED_WHILE_RUNNING", Api.Status(ended));
        using var final = await a.Http.GetAsync(monitor);
        Assert.Equal(HttpStatusCode.Conflict, final.StatusCode);
    }
}
