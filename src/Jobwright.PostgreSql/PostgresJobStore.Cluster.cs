using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.PostgreSql;

/// <summary>The cluster side of the shared store: registration, heartbeats with rescue, the list of live nodes.</summary>
public sealed partial class PostgresJobStore : IClusterStore
{
    private Membership? _membership;

    /// <inheritdoc />
    public TimeSpan Lease => _options.Lease;

    /// <inheritdoc />
    public async Task JoinAsync(ClusterMember member, IClusterSignals signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        await RefuseNameOfLiveNodeAsync(member.Name, cancellationToken).ConfigureAwait(false);
        var membership = new Membership(member, AttemptTokens.New());
        var now = NowMs;
        await Writer.WriteAsync(
            () => PgCommands.Batch(
                "SELECT job_id, status, version FROM jobwright_join($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                member.Name, membership.Instance, Environment.MachineName, Environment.ProcessId, member.Version, member.WorkerSlots,
                member.Operations.ToArray(), (int)_options.Lease.TotalMilliseconds, now, JobEnds.NodeRestarted),
            (rows, changes) =>
            {
                PublishRows(rows, changes);
                return rows.Count;
            },
            cancellationToken).ConfigureAwait(false);
        _membership = membership;
        _listener!.Signals = signals;
    }

    /// <inheritdoc />
    public async Task<Heartbeat> HeartbeatAsync(int jobsRunning, int jobsClaimed, CancellationToken cancellationToken)
    {
        var membership = _membership ?? throw new InvalidOperationException("This node has not joined the cluster: call JoinAsync first.");
        var now = NowMs;
        return await Writer.WriteAsync(
            () => PgCommands.Batch(
                "SELECT kind, job_id, status, version, node FROM jobwright_heartbeat($1, $2, $3, $4, $5, $6)",
                membership.Member.Name, membership.Instance, jobsRunning, jobsClaimed, now, JobEnds.NodeLost),
            (rows, changes) =>
            {
                var lost = false;
                var cancels = new List<long>();
                var rescued = new List<string>();
                foreach (var row in rows)
                {
                    switch ((string)row[0]!)
                    {
                        case "lost":
                            lost = true;
                            break;
                        case "cancel":
                            cancels.Add((long)row[1]!);
                            break;
                        case "changed":
                            changes.Add(new JobChange((long)row[1]!, JobStatuses.Parse((string)row[2]!), (long)row[3]!));
                            break;
                        case "rescued":
                            rescued.Add((string)row[4]!);
                            break;
                    }
                }

                return new Heartbeat(lost, cancels, rescued);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (_membership is not { } membership)
        {
            return;
        }

        await Writer.WriteAsync(
            () => PgCommands.Batch("DELETE FROM cluster_nodes WHERE name = $1 AND instance = $2 RETURNING name", membership.Member.Name, membership.Instance),
            (rows, _) => rows.Count,
            cancellationToken).ConfigureAwait(false);
        _membership = null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClusterNode>> ListNodesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ClusterNode>>(async connection =>
        {
            await using var command = PgCommands.Command(
                connection,
                "SELECT name, host, pid, version, worker_slots, operations, started_at, heartbeat_at, lease_expires, jobs_running, jobs_claimed " +
                "FROM cluster_nodes WHERE lease_expires > clock_timestamp() ORDER BY name");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var nodes = new List<ClusterNode>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                nodes.Add(new ClusterNode(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetInt32(2),
                    reader.GetString(3),
                    reader.GetInt32(4),
                    reader.GetFieldValue<string[]>(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    reader.GetFieldValue<DateTimeOffset>(7),
                    reader.GetFieldValue<DateTimeOffset>(8),
                    reader.GetInt32(9),
                    reader.GetInt32(10)));
            }

            return nodes;
        }, cancellationToken);

    // A name whose lease runs is another node's, unless that node was this very machine's process and is
    // gone (a restart after a crash takes the name over at once, and rescues what the dead run left).
    private async Task RefuseNameOfLiveNodeAsync(string name, CancellationToken cancellationToken)
    {
        var holder = await ReadAsync(async connection =>
        {
            await using var command = PgCommands.Command(
                connection, "SELECT host, pid, lease_expires FROM cluster_nodes WHERE name = $1 AND lease_expires > clock_timestamp()", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new LiveHolder(reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2))
                : null;
        }, cancellationToken).ConfigureAwait(false);
        if (holder is null || (holder.Host == Environment.MachineName && (holder.ProcessId == Environment.ProcessId || !ProcessIsAlive(holder.ProcessId))))
        {
            return;
        }

        throw new InvalidOperationException(
            $"The node name '{name}' is held by a live node: process {holder.ProcessId} on {holder.Host}, whose lease runs until " +
            $"{holder.LeaseExpires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. Give this node another name (--name), or stop that one first.");
    }

    private static bool ProcessIsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record LiveHolder(string Host, int ProcessId, DateTimeOffset LeaseExpires);

    private static void PublishRows(IReadOnlyList<object?[]> rows, List<JobChange> changes)
    {
        foreach (var row in rows)
        {
            changes.Add(new JobChange((long)row[0]!, JobStatuses.Parse((string)row[1]!), (long)row[2]!));
        }
    }

    private sealed record Membership(ClusterMember Member, long Instance);
}
