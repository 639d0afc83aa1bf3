using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Npgsql;

namespace Jobwright.PostgreSql.Tests;

/// <summary>
/// The claim's walk of the queue starts at a floor kept between claims (migration 013): it moves past claimed jobs
/// while an old snapshot is held open, and never past a job that was not committed yet or was put back in the queue.
/// </summary>
public sealed class ClaimFloorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_floor_moves_past_claimed_jobs_while_another_session_holds_an_old_snapshot()
    {
        await using var db = await OpenAsync();
        await using var reader = new NpgsqlConnection(db.Options.ConnectionString);
        await reader.OpenAsync();
        await using var snapshot = await reader.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var read = new NpgsqlCommand($"SELECT count(*) FROM \"{db.Options.Schema}\".jobs", reader, snapshot))
        {
            await read.ExecuteScalarAsync();
        }

        var first = await SubmitAndClaimAsync(db.Store);
        for (var round = 0; round < 3; round++)
        {
            await SubmitAndClaimAsync(db.Store);
        }

        Assert.True(await db.FloorAsync() > first, "the floor stayed at or below the first claimed job");
    }

    [Fact]
    public async Task A_job_whose_submit_commits_after_later_jobs_were_claimed_is_still_claimed()
    {
        await using var db = await OpenAsync();
        await using var submit = await db.OpenSubmitAsync();
        var late = submit.JobId;

        // Later jobs come and are claimed while that one is not committed: no claim can see it.
        for (var round = 0; round < 4; round++)
        {
            Assert.NotEqual(late, await SubmitAndClaimAsync(db.Store));
        }

        await submit.Transaction.CommitAsync();
        Assert.Contains(late, (await db.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_job_of_the_newest_transaction_still_open_while_claims_find_nothing_is_claimed_once_committed()
    {
        // The open transaction is the newest to take a transaction id, and none ends after it before the claims:
        // a snapshot's xmax (one past the last to end) does not cover it, which let the floor pass its job.
        await using var db = await OpenAsync();
        await using var submit = await db.OpenSubmitAsync();
        var late = submit.JobId;
        for (var round = 0; round < 3; round++)
        {
            Assert.Empty(await db.Store.ClaimAsync(StoreFixture.Node, 10, None));
        }

        Assert.True(await db.FloorAsync() <= late, "the floor passed a job whose transaction had not ended");
        await submit.Transaction.CommitAsync();
        Assert.Equal([late], (await db.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_claimed_job_put_back_in_the_queue_below_the_floor_is_claimed_again()
    {
        await using var db = await OpenAsync();
        var submitted = (await db.Store.SubmitAsync(StoreFixture.Job(), None)).Job.JobId;
        var claim = Assert.Single(await db.Store.ClaimAsync(StoreFixture.Node, 1, None));
        Assert.Equal(submitted, claim.Job.JobId);
        for (var round = 0; round < 3; round++)
        {
            await SubmitAndClaimAsync(db.Store);
        }

        Assert.True(await db.FloorAsync() > submitted, "the floor never passed the claimed job: the test would show nothing");
        Assert.True(await db.Store.ReleaseAsync(submitted, claim.Attempt, None));
        Assert.True(await db.FloorAsync() <= submitted);
        Assert.Equal([submitted], (await db.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
    }

    [Fact]
    public async Task A_floor_emptied_as_a_crash_empties_it_starts_from_the_queue_start_again()
    {
        await using var db = await OpenAsync();
        var waiting = (await db.Store.SubmitAsync(StoreFixture.Job("held"), None)).Job.JobId;
        var holder = Assert.Single(await db.Store.ClaimAsync(StoreFixture.Node, 10, None));
        var behind = (await db.Store.SubmitAsync(StoreFixture.Job("held"), None)).Job.JobId;
        for (var round = 0; round < 3; round++)
        {
            await SubmitAndClaimAsync(db.Store);
        }

        // The table is unlogged: a crash leaves it empty.
        await db.ExecuteAsync("DELETE FROM claim_floor");
        Assert.True(await db.Store.StartAsync(waiting, holder.Attempt, None));
        Assert.True((await db.Store.FinishAsync(waiting, holder.Attempt, StoreFixture.Finish(Jobwright.Status.JobStatus.CompletedOk), None)).Applied);
        Assert.Equal([behind], (await db.Store.ClaimAsync(StoreFixture.Node, 10, None)).Select(c => c.Job.JobId));
        Assert.Equal(0, await db.FloorAsync());
    }

    [Fact]
    public async Task Concurrent_submits_and_claims_on_three_stores_leave_no_job_below_the_floor()
    {
        await using var db = await OpenAsync();
        var others = new List<PostgresJobStore>();
        for (var i = 0; i < 2; i++)
        {
            var store = new PostgresJobStore(db.Options, TimeProvider.System, new JobChangeFeed());
            await store.InitializeAsync(None);
            others.Add(store);
        }

        try
        {
            PostgresJobStore[] stores = [db.Store, .. others];
            const int Jobs = 1200;
            var submitted = 0;
            var finished = 0;
            var submitting = Task.WhenAll(Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref submitted) <= Jobs)
                {
                    await stores[s % 3].SubmitAsync(StoreFixture.Job(), None);
                }
            })));
            var claiming = Task.WhenAll(stores.Select(store => Task.Run(async () =>
            {
                var idle = 0;
                while (Volatile.Read(ref finished) < Jobs && idle < 200)
                {
                    var claimed = await store.ClaimAsync(StoreFixture.Node, 16, None);
                    idle = claimed.Count == 0 && submitting.IsCompleted ? idle + 1 : 0;
                    foreach (var claim in claimed)
                    {
                        Assert.True(await store.StartAsync(claim.Job.JobId, claim.Attempt, None));
                        Assert.True((await store.FinishAsync(claim.Job.JobId, claim.Attempt, StoreFixture.Finish(Jobwright.Status.JobStatus.CompletedOk), None)).Applied);
                        Interlocked.Increment(ref finished);
                    }
                }
            })));
            await submitting;
            await claiming;
            Assert.Equal(Jobs, finished);
        }
        finally
        {
            foreach (var store in others)
            {
                await store.DisposeAsync();
            }
        }
    }

    // Submits one job and claims what is queued: the job just submitted, as nothing else waits.
    private static async Task<long> SubmitAndClaimAsync(PostgresJobStore store)
    {
        var id = (await store.SubmitAsync(StoreFixture.Job(), None)).Job.JobId;
        Assert.Equal(id, Assert.Single(await store.ClaimAsync(StoreFixture.Node, 10, None)).Job.JobId);
        return id;
    }

    private static async Task<Database> OpenAsync()
    {
        var options = new PostgresStoreOptions { ConnectionString = await PostgresDatabase.ConnectionStringAsync(), Schema = PostgresDatabase.NewSchema() };
        var store = new PostgresJobStore(options, TimeProvider.System, new JobChangeFeed());
        await store.InitializeAsync(None);
        return new Database(options, store);
    }

    private sealed record OpenSubmit(NpgsqlConnection Connection, NpgsqlTransaction Transaction, long JobId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    private sealed record Database(PostgresStoreOptions Options, PostgresJobStore Store) : IAsyncDisposable
    {
        public async Task<long> FloorAsync()
        {
            await using var connection = new NpgsqlConnection(Options.ConnectionString);
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand($"SELECT floor FROM \"{Options.Schema}\".claim_floor", connection);
            return (long)(await read.ExecuteScalarAsync())!;
        }

        /// <summary>A job inserted by a transaction left open, as a slow submit leaves it until it commits.</summary>
        public async Task<OpenSubmit> OpenSubmitAsync()
        {
            var connection = new NpgsqlConnection(Options.ConnectionString);
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO \"{Options.Schema}\".jobs (status, operation, op_group, parameters, time_submitted) VALUES ('NOT_STARTED', 'Simulate', 'Sample', '{{}}', 0) RETURNING id",
                connection, transaction);
            return new OpenSubmit(connection, transaction, (long)(await insert.ExecuteScalarAsync())!);
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(Options.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SET search_path TO \"{Options.Schema}\"; {sql}", connection);
            await command.ExecuteNonQueryAsync();
        }

        public ValueTask DisposeAsync() => Store.DisposeAsync();
    }
}
