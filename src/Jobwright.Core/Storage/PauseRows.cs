using System.Data.Common;
using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>A pause row as both stores select it: kind, key, by, at (epoch ms), note.</summary>
public static class PauseRows
{
    /// <summary>The columns, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = "kind, key, by, at, note";

    /// <summary>The pause of the reader's current row.</summary>
    public static PauseRecord Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new PauseRecord(
            reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            StoredJobRow.Time(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetString(4));
    }
}
