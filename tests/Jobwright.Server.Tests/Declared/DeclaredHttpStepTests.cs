using Jobwright.TestSupport;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests.Declared;

/// <summary>HTTP steps against a real HTTP peer (another node's JSON API): 2xx is OK, 409 retry-later, other codes fail.</summary>
public sealed class DeclaredHttpStepTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
    private LoopbackNode _peer = null!;
    private LoopbackNode _node = null!;

    public async Task InitializeAsync()
    {
        _peer = await TestNode.StartAsync();
        var peer = _peer.Http.BaseAddress!.ToString().TrimEnd('/');
        var file = DeclaredTestFiles.Write(_directory, "http.yaml", $$"""
            operations:
              - name: Call
                group: Http
                parameters:
                  id: { type: string, required: true }
                steps:
                  - name: Call
                    http: { method: GET, url: "{{peer}}/api/v1/jobs/{id}" }
              - name: Submit
                group: Http
                parameters:
                  target: { type: string, required: true }
                steps:
                  - name: Submit
                    http:
                      method: POST
                      url: "{{peer}}/api/v1/jobs"
                      body: { operation: Simulate, target: "{target}", parameters: { durationMs: 10 } }
              - name: CancelFinished
                group: Http
                parameters:
                  job: { type: integer, required: true }
                steps:
                  - name: Cancel
                    http: { method: POST, url: "{{peer}}/api/v1/jobs/{job}/cancel" }
            """);
        _node = await TestNode.StartAsync(settings: s => s with { OperationsFile = file, Samples = false });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _peer.DisposeAsync();
    }

    [Fact]
    public async Task A_2xx_answer_is_OK_and_the_body_is_sent_with_the_placeholders_filled()
    {
        var id = await _node.SubmitIdAsync(new { operation = "Submit", parameters = new { target = "from-http" } });
        var job = await _node.WaitForTerminalAsync(id);
        Assert.Equal("COMPLETED_OK", TestNode.Status(job));
        Assert.Equal("202", job["results"]!["returnCode"]!.GetValue<string>());
        var created = JsonNode.Parse(job["results"]!["Submit.response"]!.GetValue<string>())!;
        Assert.Equal("from-http", created["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_404_fails_the_step_and_a_409_asks_to_retry_later()
    {
        var missing = await _node.SubmitIdAsync(new { operation = "Call", parameters = new { id = "999999" } });
        var failed = await _node.WaitForTerminalAsync(missing);
        Assert.Equal("COMPLETED_WITH_ERROR", TestNode.Status(failed));
        Assert.Contains("HTTP 404", failed["results"]!["result"]!.GetValue<string>(), StringComparison.Ordinal);

        var finished = await _peer.SubmitIdAsync(new { operation = "Simulate", parameters = new { durationMs = 1, tasks = 0 } });
        await _peer.WaitForTerminalAsync(finished);
        var conflict = await _node.SubmitIdAsync(new { operation = "CancelFinished", parameters = new { job = finished } });
        var retry = await _node.WaitForTerminalAsync(conflict);
        Assert.Equal("FAILED_BEFORE_COMPLETION_RETRY", TestNode.Status(retry));
        Assert.Equal("409", retry["results"]!["returnCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_value_placed_in_a_URL_is_escaped_and_cannot_change_the_path()
    {
        var peerJob = await _peer.SubmitIdAsync(new { operation = "Simulate", notBefore = DateTimeOffset.UtcNow.AddHours(1) });
        var id = await _node.SubmitIdAsync(new { operation = "Call", parameters = new { id = $"{peerJob}" } });
        Assert.Equal("COMPLETED_OK", TestNode.Status(await _node.WaitForTerminalAsync(id)));

        // Unescaped, this would walk up to /healthz and answer 200.
        var sneaky = await _node.SubmitIdAsync(new { operation = "Call", parameters = new { id = "../../../healthz" } });
        var job = await _node.WaitForTerminalAsync(sneaky);
        Assert.Equal("COMPLETED_WITH_ERROR", TestNode.Status(job));
        Assert.NotEqual("200", job["results"]!["returnCode"]!.GetValue<string>());
    }
}
