using System.Collections.Concurrent;
using System.Threading.Channels;
using Jobwright.Diagnostics;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;
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
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private long _batches;
    // A claim waiting to travel in the next batch that submits a job (WriteWithNextSubmitAsync).
    private readonly HeldWrite<PendingWrite> _held;

    private readonly JobwrightMetrics? _metrics;

    public PgWriter(NpgsqlDataSource dataSource, JobChangeFeed changes, ConcurrentDictionary<int, byte> ownProcessIds, JobwrightMetrics? metrics, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
        _dataSource = dataSource;
        _changes = changes;
        _ownProcessIds = ownProcessIds;
        _held = new HeldWrite<PendingWrite>(w => w.Kind, _queue.Writer.TryWrite, (write, e) => write.Fail(e), Closed);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many batches were committed.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues one statement; <paramref name="map"/> turns its rows into the result after the commit and
    /// adds the changes to publish.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlBatchCommand> command, Func<IReadOnlyList<object?[]>, List<JobChange>, T> map, CancellationToken cancellationToken, WriteKind kind = WriteKind.Other) =>
        Enqueue<T>(new PendingSingleWrite<T>(command, map) { Kind = kind }, cancellationToken);

    /// <summary>
    /// Holds one statement back until the next batch that submits a job, and sends it last in that batch (one
    /// round trip and one commit for both), or alone once <paramref name="sendAlone"/> completes; dropped, and
    /// its task canceled, when <paramref name="cancellationToken"/> is canceled before it was sent. A second
    /// statement held while one waits is queued at once.
    /// </summary>
    public Task<T> WriteWithNextSubmitAsync<T>(Func<NpgsqlBatchCommand> command, Func<IReadOnlyList<object?[]>, List<JobChange>, T> map, Task sendAlone, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingSingleWrite<T>(command, map) { Kind = WriteKind.Claim };
        return _held.TryHold(write, write.Task, sendAlone, cancellationToken) ? write.Task : Enqueue<T>(write, cancellationToken);
    }

    /// <summary>
    /// Queues a write that shares one statement with the other writes of its kind in the same batch (one
    /// statement for all the jobs started in it, say); <paramref name="pick"/> finds this write's result in
    /// the statement's rows.
    /// </summary>
    public Task<T> WriteMergedAsync<TItem, T>(PgMerge<TItem> merge, TItem item, Func<PgRows, int, List<JobChange>, T> pick, CancellationToken cancellationToken, WriteKind kind = WriteKind.Other) =>
        Enqueue<T>(new PendingMergedWrite<TItem, T>(merge, item, pick) { Kind = kind }, cancellationToken);

    private static ObjectDisposedException Closed() => new(nameof(PgWriter), "The PostgreSQL store is closed.");

    private Task<T> Enqueue<T>(PendingWrite write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_queue.Writer.TryWrite(write))
        {
            throw Closed();
        }

        return ((ITask<T>)write).Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _held.Close();
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

            _held.Arrange(batch, MaxBatch);

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
            Log.WritesUnavailable(_logger, writes.Count, e.Message);
            await DropConnectionAsync().ConfigureAwait(false);
            var unavailable = PgErrors.Translate(e);
            foreach (var write in writes)
            {
                write.Fail(unavailable);
            }
        }
        catch (Exception e) when (writes.Count > 1)
        {
            Log.BatchRetried(_logger, writes.Count, e.Message);
            // The whole batch rolled back: run each write alone so that only the one at fault fails.
            foreach (var write in writes)
            {
                await RunAsync([write]).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Log.WriteFailed(_logger, e);
            writes[0].Fail(e);
        }
    }

    private async Task ExecuteAsync(List<PendingWrite> writes)
    {
        var groups = Group(writes);
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        var connection = await ConnectionAsync().ConfigureAwait(false);
        var rows = new PgRows[groups.Count];
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var group in groups)
            {
                batch.BatchCommands.Add(group[0].CreateCommand(group));
            }

            // One Sync for the whole batch: PostgreSQL runs it as one implicit transaction.
            await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
            for (var i = 0; i < groups.Count; i++)
            {
                var result = new List<object?[]>();
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var values = new object?[reader.FieldCount];
                    reader.GetValues(values!);
                    result.Add(values);
                }

                rows[i] = new PgRows(result);
                await reader.NextResultAsync().ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _batches);
        _metrics?.RecordCommit("postgres", System.Diagnostics.Stopwatch.GetElapsedTime(began), writes.Count);
        var changes = new List<JobChange>();
        for (var i = 0; i < groups.Count; i++)
        {
            for (var j = 0; j < groups[i].Count; j++)
            {
                groups[i][j].Complete(rows[i], j, changes);
            }
        }

        foreach (var change in changes)
        {
            _changes.Publish(change);
        }
    }

    // Writes of one merge kind form one group (one statement); every other write is a group of its own.
    private static List<List<PendingWrite>> Group(List<PendingWrite> writes)
    {
        var groups = new List<List<PendingWrite>>(writes.Count);
        Dictionary<object, List<PendingWrite>>? merged = null;
        foreach (var write in writes)
        {
            if (write.MergeKey is not { } key)
            {
                groups.Add([write]);
                continue;
            }

            merged ??= new Dictionary<object, List<PendingWrite>>(ReferenceEqualityComparer.Instance);
            if (!merged.TryGetValue(key, out var group))
            {
                merged[key] = group = [];
                groups.Add(group);
            }

            group.Add(write);
        }

        return groups;
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

    private interface ITask<T>
    {
        Task<T> Task { get; }
    }

    private abstract class PendingWrite
    {
        /// <summary>Writes with the same key share one statement.</summary>
        public virtual object? MergeKey => null;

        public WriteKind Kind { get; init; }

        public abstract NpgsqlBatchCommand CreateCommand(IReadOnlyList<PendingWrite> group);

        public abstract void Complete(PgRows rows, int index, List<JobChange> changes);

        public abstract void Fail(Exception exception);
    }

    private abstract class PendingWrite<T> : PendingWrite, ITask<T>
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _result.Task;

        public override void Complete(PgRows rows, int index, List<JobChange> changes)
        {
            try
            {
                _result.TrySetResult(Map(rows, index, changes));
            }
            catch (Exception e)
            {
                _result.TrySetException(e);
            }
        }

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        protected abstract T Map(PgRows rows, int index, List<JobChange> changes);
    }

    private sealed class PendingSingleWrite<T>(Func<NpgsqlBatchCommand> command, Func<IReadOnlyList<object?[]>, List<JobChange>, T> map) : PendingWrite<T>
    {
        public override NpgsqlBatchCommand CreateCommand(IReadOnlyList<PendingWrite> group) => command();

        protected override T Map(PgRows rows, int index, List<JobChange> changes) => map(rows.All, changes);
    }

    private sealed class PendingMergedWrite<TItem, T>(PgMerge<TItem> merge, TItem item, Func<PgRows, int, List<JobChange>, T> pick) : PendingWrite<T>
    {
        public TItem Item { get; } = item;

        public override object MergeKey => merge;

        public override NpgsqlBatchCommand CreateCommand(IReadOnlyList<PendingWrite> group) =>
            merge.Build(group.Select(w => ((PendingMergedWrite<TItem, T>)w).Item).ToArray());

        protected override T Map(PgRows rows, int index, List<JobChange> changes) => pick(rows, index, changes);
    }
}
