using System.Text;
using System.Text.Json;
using Jobwright.Model;
using Jobwright.Storage;
using Microsoft.Data.Sqlite;

namespace Jobwright.Sqlite;

/// <summary>Reads job rows selected with <see cref="StoredJobRow.Columns"/> into records.</summary>
internal static class JobRowMapper
{
    public const string Columns = StoredJobRow.Columns;

    private static readonly int ColumnCount = Columns.Split(',').Length;

    public static JobRecord Read(SqliteDataReader row) => StoredJobRow.Map(ReadRaw(row));

    /// <summary>The row's values as they are, so that the JSON columns can be parsed off the writer thread.</summary>
    public static object?[] ReadRaw(SqliteDataReader row)
    {
        var values = new object?[row.FieldCount];
        row.GetValues(values!);
        return values;
    }

    public static JobRecord Map(object?[] row) => StoredJobRow.Map(row);

    /// <summary>A job selected as <c>json_array(</c><see cref="Columns"/><c>)</c>: integers, text and nulls in column order.</summary>
    public static JobRecord FromJson(string row)
    {
        var values = new object?[ColumnCount];
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(row));
        reader.Read();
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            values[i] = reader.TokenType switch
            {
                JsonTokenType.Number => reader.GetInt64(),
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw new InvalidDataException($"column {i} of a job row is {reader.TokenType}, not an integer, text or null"),
            };
        }

        return StoredJobRow.Map(values);
    }

    public static DateTimeOffset Time(long unixMs) => StoredJobRow.Time(unixMs);

    public static object Db(object? value) => StoredJobRow.Db(value);
}
