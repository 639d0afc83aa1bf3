using System.Text.RegularExpressions;
using Jobwright.TestSupport;

namespace Jobwright.Server.Tests.Hmc;

/// <summary>
/// The worked example of docs/hmc-compatibility.md, run as written: docs/examples/hmc_client.py behaves as IBM's
/// clients do (appends to the template, logs on again on 401, pins the node's self-signed certificate). Its
/// session is kept across runs, so the run after a node restart meets a 401 and logs on again.
/// </summary>
public sealed partial class HmcPythonClientTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jobwright-hmc-python-").FullName;

    [Fact]
    public async Task The_documented_Python_client_runs_jobs_over_https_and_logs_on_again_after_a_node_restart()
    {
        var sessionFile = Path.Combine(_directory, "session.txt");
        string[] serve = ["serve", "--listen", "https://127.0.0.1:0", "--store", "sqlite:" + Path.Combine(_directory, "jobs.db"), "--samples"];

        await using (var node = await NodeProcess.StartAsync(serve))
        {
            var first = await RunClientAsync(node, sessionFile, "--target", "lpar-1", "LogicalPartition", "PowerOff", "operation=osshutdown", "immediate=true", "durationMs=50");
            Assert.True(first.Code == 0, first.Output);
            Assert.Contains("COMPLETED_OK", first.Output, StringComparison.Ordinal);
            Assert.Contains("operation = osshutdown", first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("logging on again", first.Output, StringComparison.Ordinal);
        }

        // The node restarts: the kept session is gone with it, the client is told 401, logs on again and carries on.
        await using var restarted = await NodeProcess.StartAsync(serve);
        var second = await RunClientAsync(restarted, sessionFile, "Sample", "Simulate", "outcome=throw", "durationMs=10", "tasks=1");
        Assert.Contains("session no longer valid", second.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED_BEFORE_COMPLETION", second.Output, StringComparison.Ordinal);
        // The failure text comes from ResponseException/Message, not the client's fallback.
        Assert.Contains("failed: simulated failure: the handler threw", second.Output, StringComparison.Ordinal);
        Assert.Equal(1, second.Code);
    }

    private static async Task<(int Code, string Output)> RunClientAsync(NodeProcess node, string sessionFile, params string[] arguments)
    {
        var url = Listening().Match(node.Output).Groups[1].Value;
        var fingerprint = Fingerprint().Match(node.Output).Groups[1].Value;
        var (code, stdout, stderr) = await ProgramRun.RunAsync("python3", [Script, "--url", url, "--fingerprint", fingerprint, "--session-file", sessionFile, .. arguments]);
        return (code, stdout + stderr);
    }

    private static string Script => Path.Combine(Packaging.PackedLibraries.RepositoryRoot, "docs", "examples", "hmc_client.py");

    [GeneratedRegex(@"listening on (https://\S+)")]
    private static partial Regex Listening();

    [GeneratedRegex("SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial Regex Fingerprint();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
