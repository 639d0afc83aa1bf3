using Jobwright.Storage;
using Jobwright.Storage.Conformance;
using Microsoft.Extensions.Logging.Testing;

namespace Jobwright.Sqlite.Tests;

/// <summary>The WAL is copied into the database file beside the writer, not between its commits.</summary>
public sealed class SqliteCheckpointTests : IDisposable
{
    private const int BackgroundCheckpointed = 5104;

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Commits_reach_the_database_file_through_the_background_checkpoint_long_before_the_writers_own()
    {
        var checkpointed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = FakeLogCollector.Create(new FakeLogCollectorOptions
        {
            OutputSink = line =>
            {
                if (line.Contains("Background checkpoint", StringComparison.Ordinal))
                {
                    checkpointed.TrySetResult();
                }
            },
        });
        var database = _directory.File("jobs.db");
        await using var store = new SqliteJobStore(
            new SqliteStoreOptions { Path = database }, TimeProvider.System, new JobChangeFeed(), new FakeLogger<SqliteJobStore>(logs));
        await store.InitializeAsync(CancellationToken.None);
        var sizeBefore = new FileInfo(database).Length;

        // One commit each: a checkpoint is due after 64, far below the writer's own autocheckpoint (16,000 frames).
        var ids = new List<long>();
        for (var i = 0; i < 64; i++)
        {
            ids.Add((await store.SubmitAsync(StoreFixture.Job(), CancellationToken.None)).Job.JobId);
        }

        await checkpointed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var record = logs.GetSnapshot().First(r => r.Id.Id == BackgroundCheckpointed);
        var copied = long.Parse(record.StructuredState!.Single(p => p.Key == "Copied").Value!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(copied > 0, $"the checkpoint copied {copied} frames: {record.Message}");
        Assert.True(new FileInfo(database).Length > sizeBefore, "the database file did not grow while the store stayed open");
        foreach (var id in ids)
        {
            Assert.NotNull(await store.GetAsync(id, false, CancellationToken.None));
        }
    }

    public void Dispose() => _directory.Dispose();
}
