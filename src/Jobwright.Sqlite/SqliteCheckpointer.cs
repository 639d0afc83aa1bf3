using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Jobwright.Sqlite;

/// <summary>
/// Copies the WAL's pages into the database file on a connection and thread of its own, so that the writer's
/// commits do not wait for it: a checkpoint run by the writer itself (SQLite's autocheckpoint) copies thousands of
/// pages and syncs the file between two batches, and every write queued meanwhile waits. The writer keeps a larger
/// autocheckpoint as a backstop, for when this one cannot keep up; either one leaves the WAL whole and readable.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    // Commits between two checkpoints: few enough that the WAL stays small, enough that a page written by
    // many commits in a row (the queue's index, the last leaf of the jobs table) is copied once, not each time.
    internal const int CommitsPerCheckpoint = 64;

    // The writer's own autocheckpoint, in WAL frames (pages). The WAL starts over from its beginning only when a
    // transaction begins after a checkpoint copied all of it; under a steady load the writer's next commit usually
    // comes first, so the WAL grows until this backstop, when the writer copies what is left (little) and it starts over.
    internal const int WriterBackstopFrames = 16000;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _due = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Task _loop;
    private int _commits;

    public SqliteCheckpointer(string connectionString, ILogger logger)
    {
        _logger = logger;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Called by the writer after each commit, on its thread only (so the count needs no lock, and only it releases
    /// the semaphore: checked empty first, it never overflows); wakes the checkpointer every <see cref="CommitsPerCheckpoint"/> commits.
    /// </summary>
    public void Committed()
    {
        if (++_commits >= CommitsPerCheckpoint)
        {
            _commits = 0;
            if (_due.CurrentCount == 0)
            {
                _due.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _due.Dispose();
    }

    private void Loop()
    {
        using var checkpoint = _connection.CreateCommand();
        // PASSIVE: copies what no reader still needs and never waits for the writer or a reader.
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (true)
        {
            try
            {
                _due.Wait(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                using var result = checkpoint.ExecuteReader();
                if (result.Read())
                {
                    Log.Checkpointed(_logger, result.GetInt64(2), result.GetInt64(1), result.GetInt64(0) != 0);
                }
            }
            catch (SqliteException e)
            {
                // The writer's own autocheckpoint still runs; a failed copy here only leaves more for it.
                Log.CheckpointFailed(_logger, e.Message);
            }
        }
    }
}
