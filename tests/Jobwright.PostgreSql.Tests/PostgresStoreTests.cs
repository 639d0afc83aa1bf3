using Jobwright.Model;
using Jobwright.Storage;
using Npgsql;

namespace Jobwright.PostgreSql.Tests;

/// <summary>What the PostgreSQL store does beyond the conformance suite: its settings, its schema, its errors.</summary>
public sealed class PostgresStoreTests
{
    [Theory]
    [InlineData("postgres://jw:s%40cret%2Bx@db.example:6543/jobs", "db.example", 6543, "jobs", "jw", "s@cret+x")]
    [InlineData("postgresql://jw@127.0.0.1/jobs?Timeout=5", "127.0.0.1", 5432, "jobs", "jw", null)]
    [InlineData("Host=db;Port=5433;Database=jobs;Username=jw;Password=pw", "db", 5433, "jobs", "jw", "pw")]
    public void A_URL_or_an_Npgsql_connection_string_gives_the_same_settings(string value, string host, int port, string database, string user, string? password)
    {
        var builder = PostgresConnectionString.Parse(value);
        Assert.Equal((host, port, database, user, password), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Theory]
    [InlineData("postgres://db.example:5432/", "names no database")]
    [InlineData("postgres://db/jobs?Colour=blue", "unknown setting 'Colour'")]
    [InlineData("Host=db;Bogus=1", "not valid")]
    public void A_bad_connection_string_is_refused_with_what_is_wrong(string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresConnectionString.Parse(value));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("another-host", 4242, true)]
    [InlineData(null, 1, true)]
    [InlineData(null, -1, false)]
    public async Task A_name_is_refused_while_a_live_node_on_another_host_or_a_live_process_here_holds_it(string? host, int pid, bool refused)
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        await using var store = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        await store.InitializeAsync(CancellationToken.None);
        // -1: a process of this machine that has ended.
        var holderPid = pid == -1 ? await EndedProcessIdAsync() : pid;
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO \"{options.Schema}\".cluster_nodes (name, instance, host, pid, version, worker_slots, operations, lease_ms, started_at, heartbeat_at, lease_expires) " +
                "VALUES ('node-x', 1, $1, $2, '1.0.0', 4, '{}', 30000, now(), now(), now() + interval '1 hour')", connection)
            {
                Parameters = { new() { Value = host ?? Environment.MachineName }, new() { Value = holderPid } },
            };
            await insert.ExecuteNonQueryAsync();
        }

        var join = store.JoinAsync(new ClusterMember("node-x", "1.0.0", 4, []), new NoSignals(), CancellationToken.None);
        if (refused)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => join);
            Assert.Contains($"process {holderPid} on {host ?? Environment.MachineName}", error.Message, StringComparison.Ordinal);
        }
        else
        {
            await join;
            Assert.Equal(Environment.ProcessId, Assert.Single(await store.ListNodesAsync(CancellationToken.None)).ProcessId);
        }
    }

    private static async Task<int> EndedProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("/bin/true")!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    [Fact]
    public async Task A_resume_on_one_node_tells_the_other_nodes_to_look_for_work_at_once()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        await using var first = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        await using var second = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        await first.InitializeAsync(CancellationToken.None);
        await second.InitializeAsync(CancellationToken.None);
        var told = new WorkSignals();
        await second.JoinAsync(new ClusterMember("node-b", "1.0.0", 4, []), told, CancellationToken.None);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        Assert.True(await first.PauseAsync(new PauseRecord(PauseKinds.Target, "Sample/lpar-1", "op", at, null), CancellationToken.None));
        Assert.False(told.Work.Task.IsCompleted);

        Assert.True(await first.ResumeAsync(PauseKinds.Target, "Sample/lpar-1", CancellationToken.None));
        // No job changed, and no heartbeat runs here: only the resume's notification can say so.
        await told.Work.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class WorkSignals : IClusterSignals
    {
        public TaskCompletionSource Work { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void WorkAvailable() => Work.TrySetResult();

        public void CancelRequested(long jobId)
        {
        }
    }

    private sealed class NoSignals : IClusterSignals
    {
        public void WorkAvailable()
        {
        }

        public void CancelRequested(long jobId)
        {
        }
    }

    [Fact]
    public void A_PostgreSQL_node_requires_a_private_key_file()
    {
        var options = new Jobwright.Hosting.JobwrightOptions();
        Assert.False(options.RequirePrivateKeyFile);
        options.UsePostgres("postgres://jw@127.0.0.1/jobs");
        Assert.True(options.RequirePrivateKeyFile);
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_and_left_alone()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        await using (var store = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed()))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand($"INSERT INTO \"{options.Schema}\".schema_migrations (version, name) VALUES (999, 'from_the_future')", connection);
            await newer.ExecuteNonQueryAsync();
        }

        await using var later = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => later.InitializeAsync(CancellationToken.None));
        Assert.Contains("version 999, newer than this Jobwright knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_claim_function_is_applied_again_when_its_text_changed_and_not_on_a_start_with_nothing_new()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        await using (var store = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed()))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        async Task<(object? AppliedAt, object? Source)> ReadAsync(string? sql = null)
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync();
            if (sql is not null)
            {
                await using var change = new NpgsqlCommand(sql, connection);
                await change.ExecuteNonQueryAsync();
            }

            await using var read = new NpgsqlCommand(
                $"SELECT (SELECT applied_at FROM \"{options.Schema}\".schema_functions WHERE name = 'jobwright_claim.sql'), " +
                $"(SELECT prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = '{options.Schema}' AND p.proname = 'jobwright_claim')",
                connection);
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.IsDBNull(0) ? null : reader.GetValue(0), reader.IsDBNull(1) ? null : reader.GetValue(1));
        }

        var first = await ReadAsync();
        Assert.NotNull(first.AppliedAt);
        Assert.Contains("waiting_behind", (string)first.Source!, StringComparison.Ordinal);

        // Nothing new: the function is left as it is.
        await using (var again = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed()))
        {
            await again.InitializeAsync(CancellationToken.None);
        }

        Assert.Equal(first.AppliedAt, (await ReadAsync()).AppliedAt);

        // A stored text that is not this build's (an older build applied it, or someone replaced it) is replaced.
        var replaced = await ReadAsync(
            $"CREATE OR REPLACE FUNCTION \"{options.Schema}\".jobwright_claim(p_node text, p_instance bigint, p_operations text[], p_max integer, p_now bigint, p_attempt bigint, p_oldest boolean) " +
            $"RETURNS SETOF \"{options.Schema}\".jobs LANGUAGE sql AS 'SELECT * FROM \"{options.Schema}\".jobs WHERE false'; " +
            $"UPDATE \"{options.Schema}\".schema_functions SET sha256 = 'older'");
        Assert.DoesNotContain("waiting_behind", (string)replaced.Source!, StringComparison.Ordinal);
        await using (var upgraded = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed()))
        {
            await upgraded.InitializeAsync(CancellationToken.None);
        }

        Assert.Contains("waiting_behind", (string)(await ReadAsync()).Source!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_that_kept_start_rows_in_its_history_shows_each_start_once_after_the_upgrade()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        long id;
        await using (var store = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed()))
        {
            await store.InitializeAsync(CancellationToken.None);
            id = (await store.SubmitAsync(Jobwright.Storage.Conformance.StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            var claim = Assert.Single(await store.ClaimAsync(Jobwright.Storage.Conformance.StoreFixture.Node, 1, CancellationToken.None));
            Assert.True(await store.StartAsync(id, claim.Attempt, CancellationToken.None));
        }

        // The start row an earlier version wrote beside the job's own columns.
        await using (var connection = new NpgsqlConnection(options.ConnectionString))
        {
            await connection.OpenAsync();
            await using var older = new NpgsqlCommand(
                $"DROP TABLE \"{options.Schema}\".audit; ALTER TABLE \"{options.Schema}\".jobs DROP COLUMN trace_parent, DROP COLUMN priority, DROP COLUMN rerun_of, DROP COLUMN resolution, DROP COLUMN resumes, DROP COLUMN reverts, DROP COLUMN schedule_id; " +
                $"DROP TABLE \"{options.Schema}\".schedules; DROP FUNCTION \"{options.Schema}\".jobwright_fire_schedule; " +
                $"DROP TABLE \"{options.Schema}\".pauses; " +
                $"DROP TABLE \"{options.Schema}\".claim_floor; DROP TRIGGER jobs_xid_before_ids ON \"{options.Schema}\".jobs; DROP TRIGGER jobs_requeued ON \"{options.Schema}\".jobs; " +
                $"DROP FUNCTION \"{options.Schema}\".jobwright_xid_first, \"{options.Schema}\".jobwright_requeued; " +
                $"DROP INDEX \"{options.Schema}\".jobs_queue_scheduled, \"{options.Schema}\".jobs_list_not_started, \"{options.Schema}\".jobs_list_running; " +
                $"DELETE FROM \"{options.Schema}\".schema_migrations WHERE version > 1; " +
                $"INSERT INTO \"{options.Schema}\".job_transitions (job_id, time, from_status, to_status, node, actor) " +
                $"SELECT id, time_started, 'NOT_STARTED', 'RUNNING', node, node FROM \"{options.Schema}\".jobs WHERE id = {id}",
                connection);
            await older.ExecuteNonQueryAsync();
        }

        await using var upgraded = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        await upgraded.InitializeAsync(CancellationToken.None);
        var job = (await upgraded.GetAsync(id, true, CancellationToken.None))!;
        Assert.Equal([Status.JobStatus.NotStarted, Status.JobStatus.Running], job.History!.Select(h => h.To));
    }

    [Fact]
    public async Task Nodes_starting_together_migrate_once()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed())).ToArray();
        await Task.WhenAll(stores.Select(s => s.InitializeAsync(CancellationToken.None)));
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{options.Schema}\".schema_migrations", connection);
        Assert.Equal((long)PgMigrator.Known.Count, (long)(await count.ExecuteScalarAsync())!);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_a_StoreUnavailableException_that_names_it()
    {
        var store = new PostgresJobStore(new PostgresStoreOptions { ConnectionString = "postgres://nobody@127.0.0.1:1/none" }, TimeProvider.System, new JobChangeFeed());
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
        await store.DisposeAsync();
    }
}
