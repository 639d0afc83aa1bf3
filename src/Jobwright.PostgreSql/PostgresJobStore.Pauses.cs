using Jobwright.Model;
using Jobwright.Storage;

namespace Jobwright.PostgreSql;

/// <summary>Paused targets and operations (table <c>pauses</c>), shared by every node; <c>jobwright_claim</c> skips their jobs.</summary>
public sealed partial class PostgresJobStore
{
    /// <inheritdoc />
    public Task<bool> PauseAsync(PauseRecord pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        return Writer.WriteAsync(
            () => PgCommands.Batch(
                "INSERT INTO pauses (kind, key, by, at, note) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, key) DO NOTHING RETURNING key",
                pause.Kind, pause.Key, pause.By, pause.At.ToUnixTimeMilliseconds(), pause.Note),
            (rows, _) => rows.Count == 1,
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ResumeAsync(string kind, string key, CancellationToken cancellationToken) =>
        Writer.WriteAsync(
            // The other nodes are told at the commit, so they claim the waiting jobs now, not at their next heartbeat.
            () => PgCommands.Batch(
                "WITH resumed AS (DELETE FROM pauses WHERE kind = $1 AND key = $2 RETURNING key) " +
                $"SELECT key, pg_notify('jobwright_' || current_schema(), '{PgChangeListener.WakeEntry}') FROM resumed",
                kind, key),
            (rows, _) => rows.Count == 1,
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<PauseRecord>> ListPausesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<PauseRecord>>(async connection =>
        {
            await using var command = PgCommands.Command(connection, $"SELECT {PauseRows.Columns} FROM pauses ORDER BY kind, key");
            var pauses = new List<PauseRecord>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pauses.Add(PauseRows.Read(reader));
            }

            return pauses;
        }, cancellationToken);
}
