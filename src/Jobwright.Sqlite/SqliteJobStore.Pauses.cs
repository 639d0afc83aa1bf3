using Jobwright.Model;
using Jobwright.Storage;

namespace Jobwright.Sqlite;

/// <summary>Paused targets and operations (table <c>pauses</c>); <see cref="SqliteClaim"/> skips their jobs.</summary>
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public Task<bool> PauseAsync(PauseRecord pause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pause);
        return Writer.WriteAsync(scope =>
        {
            var insert = scope.Command("INSERT INTO pauses (kind, key, by, at, note) VALUES ($kind, $key, $by, $at, $note) ON CONFLICT (kind, key) DO NOTHING");
            insert.Parameters.AddWithValue("$kind", pause.Kind);
            insert.Parameters.AddWithValue("$key", pause.Key);
            insert.Parameters.AddWithValue("$by", JobRowMapper.Db(pause.By));
            insert.Parameters.AddWithValue("$at", pause.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$note", JobRowMapper.Db(pause.Note));
            return insert.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> ResumeAsync(string kind, string key, CancellationToken cancellationToken) =>
        Writer.WriteAsync(scope =>
        {
            var delete = scope.Command("DELETE FROM pauses WHERE kind = $kind AND key = $key");
            delete.Parameters.AddWithValue("$kind", kind);
            delete.Parameters.AddWithValue("$key", key);
            return delete.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PauseRecord>> ListPausesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {PauseRows.Columns} FROM pauses ORDER BY kind, key";
        var pauses = new List<PauseRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pauses.Add(PauseRows.Read(reader));
        }

        return pauses;
    }
}
