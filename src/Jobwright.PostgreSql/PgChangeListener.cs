using System.Collections.Concurrent;
using System.Globalization;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobwright.PostgreSql;

/// <summary>
/// Listens for the changes other nodes commit and publishes them on this node's feed (so event streams
/// and long-polls here see them), waking the dispatcher for new work and delivering cancels. A lost
/// notification only delays: the dispatcher polls and the heartbeat reports cancels.
/// </summary>
internal sealed class PgChangeListener : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly ConcurrentDictionary<int, byte> _ownProcessIds;
    private readonly JobChangeFeed _changes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    public PgChangeListener(NpgsqlDataSource dataSource, string channel, ConcurrentDictionary<int, byte> ownProcessIds, JobChangeFeed changes, ILogger logger)
    {
        _logger = logger;
        _dataSource = dataSource;
        _channel = channel;
        _ownProcessIds = ownProcessIds;
        _changes = changes;
    }

    /// <summary>Told of work and cancels; set when the node joins the cluster.</summary>
    public IClusterSignals? Signals { get; set; }

    /// <summary>Starts listening; completes once the first LISTEN is in place (or the first try failed).</summary>
    public Task StartAsync()
    {
        _loop = Task.Run(LoopAsync);
        return _listening.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var stopping = _stopping.Token;
        var first = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                _listening.TrySetResult();
                if (!first)
                {
                    Log.ListenerBack(_logger);
                    // Whatever was announced while this node was not listening may be waiting.
                    Signals?.WorkAvailable();
                }

                first = false;
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (PgErrors.IsUnavailable(e) || e is NpgsqlException)
            {
                Log.ListenerLost(_logger, e.Message, ReconnectDelay);
                _listening.TrySetResult();
                first = false;
                try
                {
                    await Task.Delay(ReconnectDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>The payload that asks every node to look for work.</summary>
    public const string WakeEntry = "wake";

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_ownProcessIds.ContainsKey(e.PID))
        {
            return;
        }

        var signals = Signals;
        var work = false;
        foreach (var entry in e.Payload.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            // Sent when jobs may start that no job change announces (a resumed target or operation).
            if (entry == WakeEntry)
            {
                work = true;
                continue;
            }

            var parts = entry.Split(':');
            if (parts.Length < 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var jobId))
            {
                continue;
            }

            if (parts[1] == "-")
            {
                _changes.Publish(new JobChange(jobId, null, long.MaxValue));
                continue;
            }

            var status = JobStatuses.Parse(parts[1]);
            var version = long.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture);
            _changes.Publish(new JobChange(jobId, status, version));
            var flag = parts.Length > 3 ? parts[3] : string.Empty;
            work |= flag == "q" || status.IsTerminal();
            if (flag == "c")
            {
                signals?.CancelRequested(jobId);
            }
        }

        if (work)
        {
            signals?.WorkAvailable();
        }
    }
}
