using Jobwright.Storage;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace Jobwright.PostgreSql.Tests;

/// <summary>The PostgreSQL store says in its log what happens to its connections, rather than swallowing it.</summary>
public sealed class PostgresLoggingTests
{
    [Fact]
    public async Task A_listener_connection_killed_by_the_server_is_logged_and_its_return_too()
    {
        var application = "jw-log-" + Guid.NewGuid().ToString("N")[..12];
        var connection = new NpgsqlConnectionStringBuilder(await PostgresDatabase.ConnectionStringAsync()) { ApplicationName = application }.ConnectionString;
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = FakeLogCollector.Create(new FakeLogCollectorOptions
        {
            OutputSink = line =>
            {
                if (line.Contains("change listener lost its connection", StringComparison.Ordinal))
                {
                    lost.TrySetResult();
                }
                else if (line.Contains("change listener is listening again", StringComparison.Ordinal))
                {
                    back.TrySetResult();
                }
            },
        });
        await using var store = new PostgresJobStore(
            new PostgresStoreOptions { ConnectionString = connection, Schema = PostgresDatabase.NewSchema() },
            TimeProvider.System,
            new JobChangeFeed(),
            new FakeLogger<PostgresJobStore>(collector));
        await store.InitializeAsync(CancellationToken.None);

        await using (var admin = new NpgsqlConnection(await PostgresDatabase.ConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", admin)
            {
                Parameters = { new() { Value = application } },
            };
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await back.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var record = collector.GetSnapshot().Single(r => r.Id.Id == 4001);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, record.Level);
        Assert.Contains(collector.GetSnapshot(), r => r.Id.Id == 4000);
    }
}
