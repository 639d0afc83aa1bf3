using System.Text.Json;
using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>The reason queries of the read side: each answers for a whole page of jobs in one statement.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, JobRecord>> FindTargetHoldersAsync(IReadOnlyCollection<string> targetKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetKeys);
        var holders = new Dictionary<string, JobRecord>(StringComparer.Ordinal);
        if (targetKeys.Count == 0)
        {
            return holders;
        }

        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var keys = JsonSerializer.Serialize(targetKeys.Distinct(StringComparer.Ordinal));
        foreach (var job in await ReadJobsAsync(
            connection,
            $"SELECT {JobRowMapper.Columns} FROM jobs INDEXED BY jobs_active_target WHERE target_key IN (SELECT value FROM json_each($keys)) AND target_key IS NOT NULL AND {Active} ORDER BY id",
            ("$keys", keys),
            cancellationToken).ConfigureAwait(false))
        {
            holders.TryAdd(JobHolds.KeyOf(job)!, job);
        }

        // A claim kept in memory holds its target from before its row says so; the older holder wins.
        var claimedFirst = targetKeys
            .Select(key => (Key: key, Claimed: _claims.OldestOnTarget(key)))
            .Where(c => c.Claimed is { } id && id < (holders.GetValueOrDefault(c.Key)?.JobId ?? long.MaxValue))
            .ToDictionary(c => c.Claimed!.Value, c => c.Key);
        if (claimedFirst.Count > 0)
        {
            foreach (var job in await ReadJobsAsync(
                connection,
                $"SELECT {JobRowMapper.Columns} FROM jobs WHERE id IN (SELECT value FROM json_each($ids)) AND status = '{NotStarted}'",
                ("$ids", JsonSerializer.Serialize(claimedFirst.Keys)),
                cancellationToken).ConfigureAwait(false))
            {
                holders[claimedFirst[job.JobId]] = job;
            }
        }

        return holders;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> CountActiveAsync(IReadOnlyCollection<string> qualifiedOperations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(qualifiedOperations);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (qualifiedOperations.Count == 0)
        {
            return counts;
        }

        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Only jobs of an operation with a limit are indexed, and only active ones: the rows read are few.
        command.CommandText = $"SELECT op_group || '/' || operation, COUNT(*) FROM jobs INDEXED BY jobs_active_operation WHERE op_limit IS NOT NULL AND {Active} GROUP BY op_group, operation";
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        foreach (var operation in qualifiedOperations.Distinct(StringComparer.Ordinal))
        {
            if (_claims.CountOnOperation(operation) is var claimed and > 0)
            {
                counts[operation] = counts.GetValueOrDefault(operation) + claimed;
            }
        }

        return counts.Where(c => qualifiedOperations.Contains(c.Key)).ToDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueuedJob>> QueueHeadAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        // Claimed jobs are still in the queue's rows (their claim is in memory): read past them, then leave them out.
        // In claim order: the jobs above priority 0, those at 0 in submit order, those below (SqliteClaim).
        command.CommandText =
            $"SELECT id, priority FROM (SELECT id, priority FROM jobs INDEXED BY jobs_queue_prioritized WHERE {QueuedNow} AND priority <> 0 AND priority > 0 ORDER BY priority DESC, id LIMIT $limit) " +
            $"UNION ALL SELECT id, priority FROM (SELECT id, priority FROM jobs INDEXED BY jobs_queue WHERE {QueuedNow} AND priority = 0 ORDER BY id LIMIT $limit) " +
            $"UNION ALL SELECT id, priority FROM (SELECT id, priority FROM jobs INDEXED BY jobs_queue_prioritized WHERE {QueuedNow} AND priority <> 0 AND priority < 0 ORDER BY priority DESC, id LIMIT $limit)";
        command.Parameters.AddWithValue("$limit", limit + _claims.Count);
        var head = new List<QueuedJob>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (head.Count < limit && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!_claims.Holds(reader.GetInt64(0)))
            {
                head.Add(new QueuedJob(reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        return head;
    }

    private async Task<List<JobRecord>> ReadJobsAsync(SqliteConnection connection, string sql, (string Name, string Value) parameter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(_claims.WithClaim(JobRowMapper.Read(reader))!);
        }

        return jobs;
    }
}
