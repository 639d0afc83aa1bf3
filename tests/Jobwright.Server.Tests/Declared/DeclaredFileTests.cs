using Jobwright.TestSupport;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Server.Tests.Declared;

/// <summary>A node started with an operations file: mistakes stop it with a message naming file, operation and field; secrets stay out of its log.</summary>
public sealed class DeclaredFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("operations:\n  - name: Zip\n    group: Files\n    steps:\n      - name: Run\n        run: \"gzip -k /tmp/x\"\n", "operation 'Zip': field 'steps[0].run': must be a list of arguments")]
    [InlineData("operations:\n  - name: Zip\n    group: Files\n    parameters:\n      level: { type: int }\n    steps:\n      - { name: Run, run: [\"/bin/true\"] }\n", "operation 'Zip': field 'parameters.level.type': 'int' is not a type")]
    [InlineData("operations:\n  - name: Zip\n    group: Files\n    timeout: soon\n    steps:\n      - { name: Run, run: [\"/bin/true\", \"{missing}\"] }\n", "operation 'Zip': field 'timeout': 'soon' is not a duration")]
    [InlineData("operations:\n  - name: Zip\n    steps: []\n", "operation 'Zip': field 'group': is required")]
    [InlineData("operations:\n  - name: Zip\n    group: Files\n    redfishAction: \"../Systems/{target}\"\n    steps:\n      - { name: Run, run: [\"/bin/true\"] }\n", "operation 'Zip': field 'redfishAction': Operation 'Files/Zip': RedfishAction '../Systems/{target}' must be a path under /redfish/v1/")]
    [InlineData("{ \"operations\": [ { \"name\": \"Zip\", ", "is not valid")]
    public async Task A_file_with_a_mistake_stops_the_node_with_a_message_naming_file_operation_and_field(string text, string expected)
    {
        var file = DeclaredTestFiles.Write(_directory, expected.Contains("valid", StringComparison.Ordinal) ? "ops.json" : "ops.yaml", text);
        var (code, _, stderr) = await CliTests.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "j.db"), "--operations", file);
        Assert.Equal(1, code);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        var (code, _, stderr) = await CliTests.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "j.db"), "--operations", "/nonexistent/ops.yaml");
        Assert.Equal(1, code);
        Assert.Contains("operations file /nonexistent/ops.yaml: cannot be read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sensitive_value_never_reaches_the_node_s_log()
    {
        const string Secret = "do-not-log-this-9f8e7d";
        var file = DeclaredTestFiles.Write(_directory);
        await using var node = await NodeProcess.StartAsync(
            "serve", "--listen", "http://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "j.db"), "--operations", file);
        var response = await node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Archive", parameters = new { path = "/data/y", token = Secret } });
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["jobId"]!.GetValue<long>();
        var job = await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=30s");
        while (job!["status"]!.GetValue<string>() is "NOT_STARTED" or "RUNNING")
        {
            job = await node.Http.GetFromJsonAsync<JsonObject>($"/api/v1/jobs/{id}?wait=30s&version={job["version"]}");
        }

        // A refused submit logs nothing of its values either.
        await node.Http.PostAsJsonAsync("/api/v1/jobs", new { operation = "Archive", parameters = new { path = "bad path", token = Secret } });
        Assert.Equal("COMPLETED_OK", job["status"]!.GetValue<string>());
        Assert.DoesNotContain(Secret, node.Output, StringComparison.Ordinal);
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
