using Jobwright.Model;
using Jobwright.Storage;

namespace Jobwright.Sqlite;

/// <summary>The audit trail in the <c>audit</c> table (migration 004), written through the one writer like every write.</summary>
public sealed partial class SqliteJobStore : IAuditLog
{
    /// <inheritdoc />
    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Writer.WriteAsync(scope =>
        {
            var insert = scope.Command(
                "INSERT INTO audit (time, actor, source, action, subject, outcome, detail) VALUES ($time, $actor, $source, $action, $subject, $outcome, $detail)");
            insert.Parameters.AddWithValue("$time", record.Time.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$actor", record.Actor);
            insert.Parameters.AddWithValue("$source", JobRowMapper.Db(record.Source));
            insert.Parameters.AddWithValue("$action", record.Action);
            insert.Parameters.AddWithValue("$subject", JobRowMapper.Db(record.Subject));
            insert.Parameters.AddWithValue("$outcome", record.Outcome);
            insert.Parameters.AddWithValue("$detail", JobRowMapper.Db(record.Detail));
            return insert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(clause);
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter("actor = $actor", "$actor", query.Actor);
        Filter("action = $action", "$action", query.Action);
        Filter("time >= $from", "$from", query.From?.ToUnixTimeMilliseconds());
        Filter("time < $to", "$to", query.To?.ToUnixTimeMilliseconds());
        Filter("id < $before", "$before", query.BeforeId);
        command.CommandText = $"SELECT {AuditRows.Columns} FROM audit" +
            (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) + " ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1000));
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(AuditRows.Read(reader));
        }

        return records;
    }

    /// <inheritdoc />
    public Task<int> PurgeAuditAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var delete = scope.Command("DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE time < $before ORDER BY id LIMIT $limit)");
            delete.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            delete.Parameters.AddWithValue("$limit", limit);
            return delete.ExecuteNonQuery();
        }, cancellationToken);
}
