using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jobwright.Declared;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests.Declared;

/// <summary>
/// A declared operation with <c>resumable: true</c> is completed from its first step that did not end OK, and its
/// <c>revert:</c> steps undo the steps that ended OK, last first; a revert step must name a step it undoes.
/// </summary>
public sealed class DeclaredResolveTests : IAsyncLifetime
{
    private const string Yaml = """
        operations:
          - name: Provision
            group: Test
            resumable: true
            parameters:
              dir: { type: string, required: true }
            steps:
              - name: Prepare
                run: ["/usr/bin/touch", "{dir}/prepared"]
              - name: Check
                run: ["/usr/bin/test", "-e", "{dir}/ready"]
                continueOnError: true
              - name: Finish
                run: ["/usr/bin/touch", "{dir}/finished"]
            revert:
              - name: Unprepare
                undoes: Prepare
                run: ["/bin/rm", "{dir}/prepared"]
              - name: Unfinish
                undoes: Finish
                run: ["/bin/rm", "{dir}/finished"]
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(settings: s => s with { OperationsFile = DeclaredTestFiles.Write(_directory, "resolve.yaml", Yaml), Samples = false });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_resumable_declared_job_is_completed_from_its_failed_step()
    {
        var first = await _node.SubmitIdAsync(new { operation = "Provision", group = "Test", parameters = new { dir = _directory } });
        Assert.Equal("COMPLETED_WITH_WARNINGS", TestNode.Status(await _node.WaitForTerminalAsync(first)));
        await File.WriteAllTextAsync(Path.Combine(_directory, "ready"), string.Empty);

        var completer = await PostAsync($"/api/v1/jobs/{first}/complete");
        var done = await _node.WaitForTerminalAsync(completer);
        Assert.Equal("COMPLETED_OK", TestNode.Status(done));
        Assert.Equal(
            ["Prepare SKIPPED", "Check OK", "Finish SKIPPED"],
            done["progress"]!["completedTasks"]!.AsArray().Select(t => $"{t!["name"]} {t["status"]}"));
    }

    [Fact]
    public async Task A_declared_revert_undoes_the_steps_that_ended_OK_last_first()
    {
        var first = await _node.SubmitIdAsync(new { operation = "Provision", group = "Test", parameters = new { dir = _directory } });
        await _node.WaitForTerminalAsync(first);
        Assert.True(File.Exists(Path.Combine(_directory, "prepared")) && File.Exists(Path.Combine(_directory, "finished")));

        var reverter = await PostAsync($"/api/v1/jobs/{first}/revert");
        var done = await _node.WaitForTerminalAsync(reverter);
        Assert.Equal("COMPLETED_OK", TestNode.Status(done));
        Assert.Equal(["Unfinish", "Unprepare"], done["progress"]!["completedTasks"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.False(File.Exists(Path.Combine(_directory, "prepared")));
        Assert.False(File.Exists(Path.Combine(_directory, "finished")));
    }

    [Fact]
    public void A_revert_step_that_undoes_no_step_is_refused_naming_it()
    {
        var file = DeclaredTestFiles.Write(_directory, "bad.yaml", """
            operations:
              - name: Bad
                group: Test
                steps:
                  - { name: One, run: ["/bin/true"] }
                revert:
                  - { name: Undo, undoes: Two, run: ["/bin/true"] }
                  - { name: Loose, run: ["/bin/true"] }
            """);
        var error = Assert.Throws<DeclaredOperationsException>(() => DeclaredOperationsFile.Load(file, TimeProvider.System));
        Assert.Contains("revert[0].undoes", error.Message, StringComparison.Ordinal);
        Assert.Contains("revert[1].undoes", error.Message, StringComparison.Ordinal);
    }

    private async Task<long> PostAsync(string path)
    {
        using var response = await _node.Http.PostAsync(path, null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["jobId"]!.GetValue<long>();
    }
}
