using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobwright.Storage;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>
/// Every write of a node goes through one connection: the writes waiting at a moment are sent as one
/// batch (one round trip, one implicit transaction, one commit), so commits per job stay low under load.
/// A batch that fails on a real error is retried one write at a time, so only the bad write fails.
/// Committed changes are published on this node's feed; the other nodes hear of them by notification.
/// </summary>
internal sealed class PgWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly JobChangeFeed _changes;
    private readonly ConcurrentDictionary<int, byte> _ownProcessIds;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private long _batches;

    public PgWriter(NpgsqlDataSource dataSource, JobChangeFeed changes, ConcurrentDictionary<int, byte> ownProcessIds)
    {
        _dataSource = dataSource;
        _changes = changes;
        _ownProcessIds = ownProcessIds;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many batches were committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues one statement; <paramref name="map"/> turns its rows into the result after the commit and
    /// adds the changes to publish.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlBatchCommand> command, Func<IReadOnlyList<object?[]>, List<JobChange>, T> map, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite<T>(command, map);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PgWriter), "The PostgreSQL store is closed.");
        }

        return write.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await RunAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(List<PendingWrite> writes)
    {
        try
        {
            await ExecuteAsync(writes).ConfigureAwait(false);
        }
        catch (Exception e) when (PgErrors.IsUnavailable(e))
        {
            await DropConnectionAsync().ConfigureAwait(false);
            var unavailable = PgErrors.Translate(e);
            foreach (var write in writes)
            {
                write.Fail(unavailable);
            }
        }
        catch (Exception) when (writes.Count > 1)
        {
            // The whole batch rolled back: run each write alone so that only the one at fault fails.
            foreach (var write in writes)
            {
                await RunAsync([write]).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            writes[0].Fail(e);
        }
    }

    private async Task ExecuteAsync(List<PendingWrite> writes)
    {
        var connection = await ConnectionAsync().ConfigureAwait(false);
        var rows = new List<object?[]>[writes.Count];
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var write in writes)
            {
                batch.BatchCommands.Add(write.CreateCommand());
            }

            // One Sync for the whole batch: PostgreSQL runs it as one implicit transaction.
            await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
            for (var i = 0; i < writes.Count; i++)
            {
                var result = new List<object?[]>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var values = new object?[reader.FieldCount];
                    reader.GetValues(values!);
                    result.Add(values);
                }

                rows[i] = result;
                await reader.NextResultAsync().ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _batches);
        var changes = new List<JobChange>();
        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Complete(rows[i], changes);
        }

        foreach (var change in changes)
        {
            _changes.Publish(change);
        }
    }

    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        // Notifications from this connection are this node's own changes, already published.
        _ownProcessIds.TryAdd(_connection.ProcessID, 0);
        return _connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            var connection = _connection;
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // Already broken.
            }
        }
    }

    private abstract class PendingWrite
    {
        public abstract NpgsqlBatchCommand CreateCommand();

        public abstract void Complete(IReadOnlyList<object?[]> rows, List<JobChange> changes);

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<NpgsqlBatchCommand> command, Func<IReadOnlyList<object?[]>, List<JobChange>, T> map) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _result.Task;

        public override NpgsqlBatchCommand CreateCommand() => command();

        public override void Complete(IReadOnlyList<object?[]> rows, List<JobChange> changes)
        {
            try
            {
                _result.TrySetResult(map(rows, changes));
            }
            catch (Exception e)
            {
                _result.TrySetException(e);
            }
        }

        public override void Fail(Exception exception) => _result.TrySetException(exception);
    }
}
