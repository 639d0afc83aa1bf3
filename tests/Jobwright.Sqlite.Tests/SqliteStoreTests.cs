using Jobwright.Status;
using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>What only the SQLite store promises: durability settings, migrations, one owner per file, triggers.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    private SqliteJobStore NewStore(string name = "jobs.db", string synchronous = "FULL") =>
        new(new SqliteStoreOptions { Path = _directory.File(name), Synchronous = synchronous }, _time, new JobChangeFeed());

    [Fact]
    public async Task Writes_are_durable_with_synchronous_FULL_by_default()
    {
        await using var store = NewStore();
        await store.InitializeAsync(CancellationToken.None);
        Assert.Equal(2, await store.ReadSynchronousAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_database_is_in_WAL_mode()
    {
        await using var store = NewStore();
        await store.InitializeAsync(CancellationToken.None);
        await using var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Jobs_survive_closing_and_reopening_the_file()
    {
        long id;
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
            id = (await store.SubmitAsync(StoreFixture.Job("t"), CancellationToken.None)).Job.JobId;
        }

        await using var reopened = NewStore();
        await reopened.InitializeAsync(CancellationToken.None);
        Assert.Equal(JobStatus.NotStarted, (await reopened.GetAsync(id, false, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_second_node_on_the_same_file_is_refused_with_a_message_naming_the_file()
    {
        await using var first = NewStore();
        await first.InitializeAsync(CancellationToken.None);
        await using var second = NewStore();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(CancellationToken.None));
        Assert.Contains("jobs.db", error.Message, StringComparison.Ordinal);
        Assert.Contains("Another Jobwright node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_newer_than_this_version_knows_is_refused()
    {
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)";
            await command.ExecuteNonQueryAsync();
        }

        await using var newer = NewStore();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(CancellationToken.None));
        Assert.Contains("version 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_the_first_schema_is_upgraded_and_its_running_jobs_still_hold_their_targets()
    {
        long holder, waiting;
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
            holder = (await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None)).Job.JobId;
            waiting = (await store.SubmitAsync(StoreFixture.Job("lpar-1"), CancellationToken.None)).Job.JobId;
            var claim = Assert.Single(await store.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
            Assert.True(await store.StartAsync(holder, claim.Attempt, CancellationToken.None));
        }

        // Back to the first schema's indexes, as a file written by an earlier version has them.
        await ExecuteAsync(
            "DROP INDEX jobs_active_target; DROP INDEX jobs_active_operation; DROP TABLE audit; ALTER TABLE jobs DROP COLUMN trace_parent; DROP INDEX jobs_queue_target; DROP INDEX jobs_queue_prioritized; ALTER TABLE jobs DROP COLUMN priority; ALTER TABLE jobs DROP COLUMN rerun_of; ALTER TABLE jobs DROP COLUMN resolution; ALTER TABLE jobs DROP COLUMN resumes; ALTER TABLE jobs DROP COLUMN reverts; DROP TABLE pauses; DROP TABLE schedules; DROP INDEX jobs_schedule; ALTER TABLE jobs DROP COLUMN schedule_id; DROP INDEX jobs_queue_scheduled; DROP INDEX jobs_list_not_started; DROP INDEX jobs_list_running; DROP INDEX jobs_queue; CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'NOT_STARTED' AND attempt IS NULL; DELETE FROM schema_migrations WHERE version > 1; " +
            "CREATE INDEX jobs_active_target ON jobs (target_key) WHERE attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING'); " +
            "CREATE INDEX jobs_active_operation ON jobs (op_group, operation) WHERE attempt IS NOT NULL AND status IN ('NOT_STARTED', 'RUNNING');");

        await using var upgraded = NewStore();
        await upgraded.InitializeAsync(CancellationToken.None);
        Assert.Equal(holder, (await upgraded.FindTargetHoldersAsync(["Sample/lpar-1"], CancellationToken.None))["Sample/lpar-1"].JobId);
        Assert.Empty(await upgraded.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
        Assert.Equal(JobStatus.NotStarted, (await upgraded.GetAsync(waiting, false, CancellationToken.None))!.Status);
        await using var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE name = 'jobs_active_target'";
        Assert.Contains("target_key IS NOT NULL", (string)(await command.ExecuteScalarAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_kept_start_rows_in_its_history_shows_each_start_once_after_the_upgrade()
    {
        long id;
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
            id = (await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            var claim = Assert.Single(await store.ClaimAsync(StoreFixture.Node, 1, CancellationToken.None));
            Assert.True(await store.StartAsync(id, claim.Attempt, CancellationToken.None));
            Assert.True((await store.FinishAsync(id, claim.Attempt, StoreFixture.Finish(JobStatus.CompletedOk), CancellationToken.None)).Applied);
        }

        // The start row an earlier version wrote beside the job's own columns.
        await ExecuteAsync(
            "DROP TABLE audit; ALTER TABLE jobs DROP COLUMN trace_parent; DROP INDEX jobs_queue_target; DROP INDEX jobs_queue_prioritized; ALTER TABLE jobs DROP COLUMN priority; ALTER TABLE jobs DROP COLUMN rerun_of; ALTER TABLE jobs DROP COLUMN resolution; ALTER TABLE jobs DROP COLUMN resumes; ALTER TABLE jobs DROP COLUMN reverts; DROP TABLE pauses; DROP TABLE schedules; DROP INDEX jobs_schedule; ALTER TABLE jobs DROP COLUMN schedule_id; DROP INDEX jobs_queue_scheduled; DROP INDEX jobs_list_not_started; DROP INDEX jobs_list_running; DROP INDEX jobs_queue; CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'NOT_STARTED' AND attempt IS NULL; DELETE FROM schema_migrations WHERE version > 2; " +
            $"INSERT INTO job_transitions (job_id, time, from_status, to_status, node, actor) SELECT id, time_started, 'NOT_STARTED', 'RUNNING', node, node FROM jobs WHERE id = {id}");

        await using var upgraded = NewStore();
        await upgraded.InitializeAsync(CancellationToken.None);
        var job = (await upgraded.GetAsync(id, true, CancellationToken.None))!;
        Assert.Equal([JobStatus.NotStarted, JobStatus.Running, JobStatus.CompletedOk], job.History!.Select(h => h.To));
    }

    [Fact]
    public async Task The_database_itself_refuses_to_change_a_terminal_job_or_make_an_illegal_transition()
    {
        long done, queued;
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
            done = (await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            queued = (await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            await store.CancelAsync(done, "x", CancellationToken.None);
        }

        await using var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False");
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            $"UPDATE jobs SET status = 'RUNNING' WHERE id = {done}",
            $"UPDATE jobs SET results = '{{}}' WHERE id = {done}",
            $"UPDATE jobs SET status = 'COMPLETED_OK' WHERE id = {queued}",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        }
    }

    [Fact]
    public void An_unknown_synchronous_setting_is_refused_naming_the_option()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NewStore(synchronous: "SOMETIMES"));
        Assert.Contains("Synchronous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_writes_nothing_to_the_file_the_start_stamps_the_attempt_and_node_and_a_reopened_file_has_the_claimed_job_in_line()
    {
        long started, claimedOnly;
        await using (var store = NewStore())
        {
            await store.InitializeAsync(CancellationToken.None);
            started = (await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            claimedOnly = (await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId;
            var claims = await store.ClaimAsync(StoreFixture.Node, 2, CancellationToken.None);
            Assert.Equal([started, claimedOnly], claims.Select(c => c.Job.JobId));
            Assert.All(claims, c => Assert.Equal(StoreFixture.Node, c.Job.Node));

            // The file still has both jobs in line; the store answers with the claim it keeps.
            Assert.Equal("NOT_STARTED||", await RowAsync(started));
            Assert.Equal(StoreFixture.Node, (await store.GetAsync(started, false, CancellationToken.None))!.Node);

            Assert.True(await store.StartAsync(started, claims[0].Attempt, CancellationToken.None));
            Assert.Equal($"RUNNING|{claims[0].Attempt}|{StoreFixture.Node}", await RowAsync(started));
            Assert.False(await store.StartAsync(started, claims[0].Attempt, CancellationToken.None));
        }

        // As after a crash: the claim is gone with the process, and the job is claimed again at once.
        await using var reopened = NewStore();
        await reopened.InitializeAsync(CancellationToken.None);
        var again = Assert.Single(await reopened.ClaimAsync(StoreFixture.Node, 10, CancellationToken.None));
        Assert.Equal(claimedOnly, again.Job.JobId);
    }

    private async Task<string> RowAsync(long jobId)
    {
        await using var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT status || '|' || ifnull(attempt, '') || '|' || ifnull(node, '') FROM jobs WHERE id = {jobId}";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_directory.File("jobs.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _directory.Dispose();
}
