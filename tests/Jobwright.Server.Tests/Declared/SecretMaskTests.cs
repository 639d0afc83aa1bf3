using Jobwright.TestSupport;
using Microsoft.Data.Sqlite;

namespace Jobwright.Server.Tests.Declared;

/// <summary>A sensitive value a step echoes, or that the node's own error text holds, is hidden in every answer and in the database.</summary>
public sealed class SecretMaskTests : IAsyncLifetime
{
    private const string Secret = "tok-9f3a61c2e8";

    /// <summary>Operations that print a sensitive value (Leak) and put one in a URL that cannot be reached (Hook).</summary>
    internal const string Operations = """
        operations:
          - name: Leak
            group: Test
            parameters:
              token: { type: string, sensitive: true }
            steps:
              - name: Print
                run: ["/bin/sh", "-c", "echo the token is $JOBWRIGHT_TOKEN; echo and again $JOBWRIGHT_TOKEN >&2; exit 4"]
                exitCodes: { "4": failed }
          - name: Hook
            group: Test
            parameters:
              token: { type: string, sensitive: true }
            steps:
              - name: Call
                http: { method: POST, url: "http://127.0.0.1:1/hook/{token}" }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "jobwright-tests", Guid.NewGuid().ToString("N"));
    private LoopbackNode _node = null!;

    public async Task InitializeAsync() =>
        _node = await TestNode.StartAsync(settings: s => s with { OperationsFile = DeclaredTestFiles.Write(_directory, "secrets.yaml", Operations) });

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("Leak", "the token is ***")]
    [InlineData("Hook", "/hook/***")]
    public async Task A_sensitive_value_in_a_step_s_output_or_in_an_error_is_shown_and_stored_as_stars(string operation, string shown)
    {
        var id = await _node.SubmitIdAsync(new { operation, group = "Test", parameters = new { token = Secret } });
        var job = await _node.WaitForTerminalAsync(id);

        var answers = new[]
        {
            job.ToJsonString(),
            await _node.Http.GetStringAsync("/api/v1/jobs"),
            await _node.Http.GetStringAsync($"/api/v1/jobs/{id}/events"),
        };
        Assert.All(answers, a => Assert.DoesNotContain(Secret, a, StringComparison.Ordinal));
        Assert.Contains(shown, job.ToJsonString(), StringComparison.Ordinal);

        var hmc = new Hmc.HmcTestClient(_node.Http);
        await hmc.LogOnAsync();
        var xml = await (await hmc.SendAsync(HttpMethod.Get, $"/rest/api/uom/jobs/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, xml, StringComparison.Ordinal);

        var store = (Jobwright.Sqlite.SqliteJobStore)_node.Services.GetService(typeof(Jobwright.Storage.IJobStore))!;
        await using var connection = new SqliteConnection($"Data Source={store.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(results, '') || coalesce(messages, '') || coalesce(progress, '') || coalesce(error, '') FROM jobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var row = (string)(await command.ExecuteScalarAsync())!;
        Assert.DoesNotContain(Secret, row, StringComparison.Ordinal);
        await using var history = connection.CreateCommand();
        history.CommandText = "SELECT coalesce(group_concat(reason, ' '), '') FROM job_transitions WHERE job_id = $id";
        history.Parameters.AddWithValue("$id", id);
        Assert.DoesNotContain(Secret, (string)(await history.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }
}
