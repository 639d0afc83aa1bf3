using System.Text.Json.Nodes;
using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;

namespace Jobwright.PostgreSql;

/// <summary>Stored schedules (table <c>schedules</c>), shared by every node; <c>jobwright_fire_schedule</c> fires one atomically.</summary>
public sealed partial class PostgresJobStore : IScheduleStore
{
    private static readonly string ScheduleAssignments = string.Join(", ", ScheduleRows.Columns.Split(", ")[1..^1].Select((c, i) => $"{c} = ${i + 1}"));

    /// <inheritdoc />
    public async Task<ScheduleRecord?> CreateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var values = ScheduleRows.Values(schedule);
        var id = await Writer.WriteAsync(
            () => PgCommands.Batch(
                $"INSERT INTO schedules ({ScheduleRows.Columns[4..]}) VALUES ({string.Join(", ", values.Select((_, i) => $"${i + 1}"))}, 1) " +
                "ON CONFLICT (name) DO NOTHING RETURNING id",
                values),
            (rows, _) => rows.Count == 1 ? (long?)rows[0][0] : null,
            cancellationToken).ConfigureAwait(false);
        return id is { } created ? schedule with { ScheduleId = created, Version = 1 } : null;
    }

    /// <inheritdoc />
    public async Task<ScheduleRecord?> GetScheduleAsync(long scheduleId, CancellationToken cancellationToken) =>
        (await ReadSchedulesAsync("WHERE id = $1", cancellationToken, scheduleId).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken) =>
        ReadSchedulesAsync("ORDER BY name", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleRecord>> DueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ReadSchedulesAsync("WHERE NOT paused AND next_run IS NOT NULL AND next_run <= $1 ORDER BY next_run LIMIT $2", cancellationToken, now.ToUnixTimeMilliseconds(), Math.Max(1, limit));

    /// <inheritdoc />
    public Task<bool> DeleteScheduleAsync(long scheduleId, CancellationToken cancellationToken) =>
        Writer.WriteAsync(() => PgCommands.Batch("DELETE FROM schedules WHERE id = $1 RETURNING id", scheduleId), (rows, _) => rows.Count == 1, cancellationToken);

    /// <inheritdoc />
    public async Task<ScheduleRecord?> UpdateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var values = ScheduleRows.Values(schedule);
        var updated = await Writer.WriteAsync(
            () => PgCommands.Batch(
                $"UPDATE schedules SET {ScheduleAssignments}, version = version + 1 WHERE id = ${values.Length + 1} AND version = ${values.Length + 2} RETURNING id",
                [.. values, schedule.ScheduleId, schedule.Version]),
            (rows, _) => rows.Count == 1,
            cancellationToken).ConfigureAwait(false);
        return updated ? schedule with { Version = schedule.Version + 1 } : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>?> FireScheduleAsync(ScheduleRecord fired, IReadOnlyList<ScheduledRun> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fired);
        ArgumentNullException.ThrowIfNull(runs);
        var now = NowMs;
        var list = new JsonArray([.. runs.Select(run => (JsonNode)new JsonObject
        {
            ["operation"] = run.Job.Operation,
            ["group"] = run.Job.Group,
            ["target"] = run.Job.Target,
            ["targetKey"] = run.Job.TargetKey,
            ["parameters"] = run.Job.Parameters.ToJsonString(),
            ["submitter"] = run.Job.Submitter,
            ["key"] = run.Job.IdempotencyKey,
            ["targetLimit"] = run.Job.TargetLimit,
            ["opLimit"] = run.Job.OperationLimit,
            ["busyRetryAfter"] = run.Job.BusyRetryAfterSeconds,
            ["waitDeadline"] = run.Job.BusyMaxWait is { } wait ? now + (long)wait.TotalMilliseconds : null,
            ["waitRetryAfter"] = run.Job.BusyWaitRetryAfterSeconds,
            ["priority"] = run.Job.Priority,
            ["messages"] = run.NotRunCode is { } code ? StoredJson.Write(new[] { new JobMessage(MessageSeverity.Warning, code, run.NotRunText ?? code) }) : null,
        })]);
        var ids = await Writer.WriteAsync(
            () => PgCommands.Batch(
                "SELECT job_id, status, version FROM jobwright_fire_schedule($1, $2, $3, $4, $5::jsonb, $6)",
                fired.ScheduleId, fired.Version, fired.LastDue.ToUnixTimeMilliseconds(), fired.NextRun?.ToUnixTimeMilliseconds(), list.ToJsonString(), now),
            (rows, changes) =>
            {
                foreach (var row in rows)
                {
                    changes.Add(new JobChange((long)row[0]!, JobStatuses.Parse((string)row[1]!), (long)row[2]!));
                }

                return rows.Select(r => (long)r[0]!).ToArray();
            },
            cancellationToken).ConfigureAwait(false);
        return runs.Count > 0 && ids.Length == 0 ? null : ids;
    }

    private Task<IReadOnlyList<ScheduleRecord>> ReadSchedulesAsync(string clause, CancellationToken cancellationToken, params object[] values) =>
        ReadAsync<IReadOnlyList<ScheduleRecord>>(async connection =>
        {
            await using var command = PgCommands.Command(connection, $"SELECT {ScheduleRows.Columns} FROM schedules {clause}", values);
            var schedules = new List<ScheduleRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                schedules.Add(ScheduleRows.Read(reader));
            }

            return schedules;
        }, cancellationToken);
}
