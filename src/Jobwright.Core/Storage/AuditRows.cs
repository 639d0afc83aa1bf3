using System.Data.Common;
using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>An audit row as both stores select it: id, time (epoch ms), actor, source, action, subject, outcome, detail.</summary>
public static class AuditRows
{
    public const string Columns = "id, time, actor, source, action, subject, outcome, detail";

    public static AuditRecord Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new AuditRecord
        {
            Id = reader.GetInt64(0),
            Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            Actor = reader.GetString(2),
            Source = reader.IsDBNull(3) ? null : reader.GetString(3),
            Action = reader.GetString(4),
            Subject = reader.IsDBNull(5) ? null : reader.GetString(5),
            Outcome = reader.GetString(6),
            Detail = reader.IsDBNull(7) ? null : reader.GetString(7),
        };
    }
}
