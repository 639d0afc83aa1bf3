using System.Threading.Channels;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>
/// The one writer of the database. Writes queue here and run in batches: one transaction, and so
/// one durable commit, carries every write that arrived while the previous commit was on disk.
/// Each write runs under its own savepoint, so one that fails does not undo the others.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<IPendingWrite> _queue = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteScope _scope;
    private readonly TimeProvider _time;
    private readonly JobChangeFeed _changes;
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection, TimeProvider time, JobChangeFeed changes)
    {
        _connection = connection;
        _scope = new SqliteWriteScope(connection);
        _time = time;
        _changes = changes;
        _loop = Task.Run(LoopAsync);
    }

    private interface IPendingWrite
    {
        void Run(SqliteWriteScope scope);

        void Commit();

        void Fail(Exception exception);
    }

    /// <summary>Runs <paramref name="write"/> in the next batch; completes after its commit is durable.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteScope, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), "The SQLite store is closed.");
        }

        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _scope.DisposeCommands();
    }

    private async Task LoopAsync()
    {
        var batch = new List<IPendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            RunBatch(batch);
            batch.Clear();
        }
    }

    private void RunBatch(List<IPendingWrite> batch)
    {
        _scope.Changes.Clear();
        _scope.NowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _scope.Transaction = transaction;
            var failed = new Dictionary<IPendingWrite, Exception>();
            foreach (var pending in batch)
            {
                var changesBefore = _scope.Changes.Count;
                transaction.Save("w");
                try
                {
                    pending.Run(_scope);
                    transaction.Release("w");
                }
                catch (Exception e)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    _scope.Changes.RemoveRange(changesBefore, _scope.Changes.Count - changesBefore);
                    failed[pending] = e;
                }
            }

            transaction.Commit();
            foreach (var pending in batch)
            {
                if (failed.TryGetValue(pending, out var exception))
                {
                    pending.Fail(exception);
                }
                else
                {
                    pending.Commit();
                }
            }
        }
        catch (Exception e)
        {
            _scope.Changes.Clear();
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }
        }
        finally
        {
            _scope.Transaction = null;
        }

        foreach (var change in _scope.Changes)
        {
            _changes.Publish(change);
        }
    }

    private sealed class PendingWrite<T>(Func<SqliteWriteScope, T> write) : IPendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public void Run(SqliteWriteScope scope) => _result = write(scope);

        public void Commit() => _completion.TrySetResult(_result!);

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
