using Jobwright.Status;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>What one write sees inside a grouped transaction: cached prepared commands, the time, and the changes to publish after commit.</summary>
internal sealed class SqliteWriteScope(SqliteConnection connection)
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public List<JobChange> Changes { get; } = [];

    public long NowMs { get; set; }

    public SqliteTransaction? Transaction { get; set; }

    /// <summary>A prepared command for this SQL, reused across batches; parameters are cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Changed(long jobId, JobStatus? status, long version) => Changes.Add(new JobChange(jobId, status, version));

    public void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
