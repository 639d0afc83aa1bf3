using Jobwright.Status;

namespace Jobwright.Server.Tests;

/// <summary>The dashboard reads its statuses from a script the node writes from the status file, not from a copy.</summary>
public sealed class DashboardStatusScriptTests
{
    [Fact]
    public async Task The_status_script_lists_the_ten_wire_names_in_order_and_the_terminal_ones()
    {
        await using var node = await TestNode.StartAsync();
        using var answer = await node.Http.GetAsync("/ui/statuses.js");
        answer.EnsureSuccessStatusCode();
        Assert.Equal("text/javascript", answer.Content.Headers.ContentType?.MediaType);
        var script = await answer.Content.ReadAsStringAsync();

        var all = "[" + string.Join(",", JobStatuses.All.Select(s => $"\"{s.ToWire()}\"")) + "]";
        var terminal = "[" + string.Join(",", JobStatuses.Terminal.Select(s => $"\"{s.ToWire()}\"")) + "]";
        Assert.Contains($"const STATUSES = {all};", script, StringComparison.Ordinal);
        Assert.Contains($"const TERMINAL = new Set({terminal});", script, StringComparison.Ordinal);
        Assert.Contains($"\"notStarted\":\"{JobStatus.NotStarted.ToWire()}\"", script, StringComparison.Ordinal);
    }
}
