using System.Threading.Channels;
using Jobwright.Diagnostics;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Jobwright.Sqlite;

/// <summary>
/// The one writer of the database. Writes queue here and run in batches: one transaction, and so
/// one durable commit, carries every write that arrived while the previous commit was on disk.
/// When one write of a batch fails, the batch is rolled back and its writes run one by one, so only
/// the failing write is told.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly ILogger _logger;
    private readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteScope _scope;
    private readonly TimeProvider _time;
    private readonly JobChangeFeed _changes;
    private readonly Task _loop;
    private readonly string _path;

    private readonly JobwrightMetrics? _metrics;
    private readonly SqliteCheckpointer _checkpointer;
    // A claim waiting to run in the next batch that submits a job (WriteWithNextSubmitAsync).
    private readonly HeldWrite<IPendingWrite> _held;

    public SqliteWriter(SqliteConnection connection, string path, SqliteReservations claims, TimeProvider time, JobChangeFeed changes, JobwrightMetrics? metrics, SqliteCheckpointer checkpointer, ILogger logger)
    {
        _checkpointer = checkpointer;
        _metrics = metrics;
        _logger = logger;
        _path = path;
        _connection = connection;
        _scope = new SqliteWriteScope(connection, claims);
        _time = time;
        _changes = changes;
        _held = new HeldWrite<IPendingWrite>(w => w.Kind, _queue.Writer.TryWrite, (pending, e) => pending.Fail(e), Closed);
        // A thread of its own: SQLite calls block, and a blocked pool thread would stall everything else on a 2-core machine.
        _loop = Task.Factory.StartNew(Loop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private interface IPendingWrite
    {
        WriteKind Kind { get; }

        void Run(SqliteWriteScope scope);

        void Commit();

        void Fail(Exception exception);
    }

    private static ObjectDisposedException Closed() => new(nameof(SqliteWriter), "The SQLite store is closed.");

    /// <summary>Runs <paramref name="write"/> in the next batch; completes after its commit is durable.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteScope, T> write, CancellationToken cancellationToken, WriteKind kind = WriteKind.Other)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write) { Kind = kind };
        if (!_queue.Writer.TryWrite(pending))
        {
            throw Closed();
        }

        return pending.Task;
    }

    /// <summary>
    /// Holds <paramref name="write"/> back until the next batch that submits a job, and runs it last in that batch
    /// (one commit for both), or alone once <paramref name="runAlone"/> completes; dropped, and its task canceled,
    /// when <paramref name="cancellationToken"/> is canceled before it ran. A second write held while one waits is
    /// queued at once.
    /// </summary>
    public Task<T> WriteWithNextSubmitAsync<T>(Func<SqliteWriteScope, T> write, Task runAlone, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write) { Kind = WriteKind.Claim };
        return _held.TryHold(pending, pending.Task, runAlone, cancellationToken) ? pending.Task : WriteAsync(write, cancellationToken, WriteKind.Claim);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _held.Close();
        _scope.DisposeCommands();
    }

    private void Loop()
    {
        var batch = new List<IPendingWrite>(MaxBatch);
        while (WaitForWrites())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            _held.Arrange(batch, MaxBatch);

            RunBatch(batch);
            batch.Clear();
        }
    }

    private bool WaitForWrites()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void RunBatch(List<IPendingWrite> batch)
    {
        _scope.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!TryRunInOneTransaction(batch, out var batchError))
        {
            if (batch.Count > 1)
            {
                Log.BatchRetried(_logger, batch.Count, batchError!.Message);
            }

            // Something in the batch failed: run each write alone, so only the failing one is told.
            foreach (var pending in batch)
            {
                if (!TryRunInOneTransaction([pending], out var error))
                {
                    var failure = SqliteErrors.ForWrite(error!, _path);
                    if (failure is StoreUnavailableException)
                    {
                        Log.WriteUnavailable(_logger, failure.Message);
                    }
                    else
                    {
                        Log.WriteFailed(_logger, error!);
                    }

                    pending.Fail(failure);
                }
            }
        }
    }

    private bool TryRunInOneTransaction(List<IPendingWrite> writes, out Exception? error)
    {
        _scope.Reset();
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using (var transaction = _connection.BeginTransaction(deferred: false))
            {
                _scope.Transaction = transaction;
                foreach (var pending in writes)
                {
                    pending.Run(_scope);
                }

                _scope.FlushMerged();
                transaction.Commit();
            }

            _metrics?.RecordCommit("sqlite", System.Diagnostics.Stopwatch.GetElapsedTime(began), writes.Count);
            _checkpointer.Committed();

            // Published before the writers are answered: a caller that reads right after its write
            // must not be answered from a copy its own change has not yet emptied.
            foreach (var change in _scope.Changes)
            {
                _changes.Publish(change);
            }

            _scope.AfterCommit();
            foreach (var pending in writes)
            {
                pending.Commit();
            }

            error = null;
            return true;
        }
        catch (Exception e)
        {
            error = e;
            return false;
        }
        finally
        {
            _scope.Transaction = null;
        }
    }

    private sealed class PendingWrite<T>(Func<SqliteWriteScope, T> write) : IPendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public WriteKind Kind { get; init; }

        public void Run(SqliteWriteScope scope) => _result = write(scope);

        public void Commit() => _completion.TrySetResult(_result!);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
