using Jobwright.Model;
using Jobwright.Storage;

namespace Jobwright.PostgreSql;

/// <summary>The audit trail in the <c>audit</c> table (migration 003), shared by every node of the cluster.</summary>
public sealed partial class PostgresJobStore : IAuditLog
{
    /// <inheritdoc />
    public Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ReadAsync(async connection =>
        {
            await using var insert = PgCommands.Command(
                connection,
                "INSERT INTO audit (time, actor, source, action, subject, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                record.Time.ToUnixTimeMilliseconds(), record.Actor, record.Source, record.Action, record.Subject, record.Outcome, record.Detail);
            return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync<IReadOnlyList<AuditRecord>>(async connection =>
        {
            var where = new List<string>();
            var values = new List<object?>();
            void Filter(string column, string op, object? value)
            {
                if (value is not null)
                {
                    values.Add(value);
                    where.Add($"{column} {op} ${values.Count}");
                }
            }

            Filter("actor", "=", query.Actor);
            Filter("action", "=", query.Action);
            Filter("time", ">=", query.From?.ToUnixTimeMilliseconds());
            Filter("time", "<", query.To?.ToUnixTimeMilliseconds());
            Filter("id", "<", query.BeforeId);
            values.Add(Math.Clamp(query.Limit, 1, 1000));
            var sql = $"SELECT {AuditRows.Columns} FROM audit" +
                (where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where)) + $" ORDER BY id DESC LIMIT ${values.Count}";
            await using var command = PgCommands.Command(connection, sql, [.. values]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var records = new List<AuditRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(AuditRows.Read(reader));
            }

            return records;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeAuditAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            await using var delete = PgCommands.Command(
                connection, "DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE time < $1 ORDER BY id LIMIT $2)", before.ToUnixTimeMilliseconds(), limit);
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
