using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Reads job rows selected with <see cref="StoredJobRow.Columns"/> into records.</summary>
internal static class JobRowMapper
{
    public const string Columns = StoredJobRow.Columns;

    public static JobRecord Read(SqliteDataReader row) => StoredJobRow.Map(ReadRaw(row));

    /// <summary>The row's values as they are, so that the JSON columns can be parsed off the writer thread.</summary>
    public static object?[] ReadRaw(SqliteDataReader row)
    {
        var values = new object?[row.FieldCount];
        row.GetValues(values!);
        return values;
    }

    public static JobRecord Map(object?[] row) => StoredJobRow.Map(row);

    public static DateTimeOffset Time(long unixMs) => StoredJobRow.Time(unixMs);

    public static object Db(object? value) => StoredJobRow.Db(value);
}
