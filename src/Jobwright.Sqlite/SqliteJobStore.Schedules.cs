using Jobwright.Model;
using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Stored schedules (table <c>schedules</c>); a fire moves one on and stores its runs in one transaction.</summary>
public sealed partial class SqliteJobStore : IScheduleStore
{
    private const string ScheduleValues =
        "$name, $op, $group, $target, $params, $cron, $interval, $zone, $start, $end, $misfire, $catchUp, $overlap, $paused, $next, $lastDue, $lastJob, $by, $at";

    /// <inheritdoc />
    public Task<ScheduleRecord?> CreateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Writer.WriteAsync(scope =>
        {
            var taken = scope.Command("SELECT 1 FROM schedules WHERE name = $name");
            taken.Parameters.AddWithValue("$name", schedule.Name);
            if (taken.ExecuteScalar() is not null)
            {
                return null;
            }

            var insert = scope.Command($"INSERT INTO schedules ({ScheduleRows.Columns[4..]}) VALUES ({ScheduleValues}, 1) RETURNING id");
            Bind(insert, schedule);
            return (ScheduleRecord?)(schedule with { ScheduleId = (long)insert.ExecuteScalar()!, Version = 1 });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ScheduleRecord?> GetScheduleAsync(long scheduleId, CancellationToken cancellationToken) =>
        (await ReadSchedulesAsync("WHERE id = $id", ("$id", scheduleId), cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken) =>
        ReadSchedulesAsync("ORDER BY name", null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScheduleRecord>> DueSchedulesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        ReadSchedulesAsync($"INDEXED BY schedules_due WHERE paused = 0 AND next_run IS NOT NULL AND next_run <= $now ORDER BY next_run LIMIT {Math.Max(1, limit)}", ("$now", now.ToUnixTimeMilliseconds()), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteScheduleAsync(long scheduleId, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var delete = scope.Command("DELETE FROM schedules WHERE id = $id");
            delete.Parameters.AddWithValue("$id", scheduleId);
            return delete.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ScheduleRecord?> UpdateScheduleAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Writer.WriteAsync(scope => Update(scope, schedule) ? schedule with { Version = schedule.Version + 1 } : null, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>?> FireScheduleAsync(ScheduleRecord fired, IReadOnlyList<ScheduledRun> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fired);
        ArgumentNullException.ThrowIfNull(runs);
        return Writer.WriteAsync(scope =>
        {
            // Over the version read, first: a look that lost the race (another one fired this version) stores nothing.
            var claim = scope.Command("UPDATE schedules SET version = version + 1 WHERE id = $id AND version = $version");
            claim.Parameters.AddWithValue("$id", fired.ScheduleId);
            claim.Parameters.AddWithValue("$version", fired.Version);
            if (claim.ExecuteNonQuery() != 1)
            {
                return null;
            }

            var ids = new List<long>(runs.Count);
            long? lastRun = null;
            foreach (var run in runs)
            {
                var id = Insert(scope, run.Job with { ScheduleId = fired.ScheduleId }, run.Job.Parameters.ToJsonString());
                if (run.NotRunCode is { } code)
                {
                    var end = scope.Command(
                        $"UPDATE jobs SET status = '{JobStatus.CanceledBeforeStart.ToWire()}', time_completed = $now, messages = $messages, version = version + 1 WHERE id = $id RETURNING version");
                    end.Parameters.AddWithValue("$now", scope.NowMs);
                    end.Parameters.AddWithValue("$messages", StoredJson.Write(new[] { new JobMessage(MessageSeverity.Warning, code, run.NotRunText ?? code) })!);
                    end.Parameters.AddWithValue("$id", id);
                    scope.Changed(id, JobStatus.CanceledBeforeStart, (long)end.ExecuteScalar()!);
                }
                else
                {
                    lastRun = id;
                }

                ids.Add(id);
            }

            var move = scope.Command("UPDATE schedules SET last_due = $lastDue, next_run = $next, last_job_id = COALESCE($lastJob, last_job_id) WHERE id = $id");
            move.Parameters.AddWithValue("$lastDue", fired.LastDue.ToUnixTimeMilliseconds());
            move.Parameters.AddWithValue("$next", (object?)fired.NextRun?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            move.Parameters.AddWithValue("$lastJob", (object?)lastRun ?? DBNull.Value);
            move.Parameters.AddWithValue("$id", fired.ScheduleId);
            move.ExecuteNonQuery();
            return (IReadOnlyList<long>?)ids;
        }, cancellationToken);
    }

    private static bool Update(SqliteWriteScope scope, ScheduleRecord schedule)
    {
        var update = scope.Command(
            "UPDATE schedules SET name = $name, operation = $op, op_group = $group, target = $target, parameters = $params, cron = $cron, " +
            "interval_ms = $interval, time_zone = $zone, start_at = $start, end_at = $end, misfire = $misfire, catch_up_ms = $catchUp, overlap = $overlap, " +
            "paused = $paused, next_run = $next, last_due = $lastDue, last_job_id = $lastJob, created_by = $by, created_at = $at, version = version + 1 " +
            "WHERE id = $id AND version = $version");
        Bind(update, schedule);
        update.Parameters.AddWithValue("$id", schedule.ScheduleId);
        update.Parameters.AddWithValue("$version", schedule.Version);
        return update.ExecuteNonQuery() == 1;
    }

    private static void Bind(SqliteCommand command, ScheduleRecord schedule)
    {
        var names = ScheduleValues.Split(", ");
        var values = ScheduleRows.Values(schedule);
        for (var i = 0; i < names.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i] switch { null => DBNull.Value, bool flag => flag ? 1 : 0, var value => value });
        }
    }

    private async Task<IReadOnlyList<ScheduleRecord>> ReadSchedulesAsync(string clause, (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ScheduleRows.Columns} FROM schedules {clause}";
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }

        var schedules = new List<ScheduleRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            schedules.Add(ScheduleRows.Read(reader));
        }

        return schedules;
    }

}
