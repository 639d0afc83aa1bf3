using System.Text;
using System.Text.Json;

namespace Jobwright.Sqlite;

/// <summary>
/// The JSON arrays that merged statements bind as one parameter and read back with <c>jsonb_each</c>:
/// one array per row, values in column order, SQL nulls as JSON nulls.
/// </summary>
internal static class SqliteJsonRows
{
    /// <summary>The JSON text that <paramref name="write"/> writes.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>An array holding one array per item, whose values <paramref name="writeValues"/> writes.</summary>
    public static string Rows<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> writeValues) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var item in items)
        {
            json.WriteStartArray();
            writeValues(json, item);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    });

    /// <summary>Writes text, or null.</summary>
    public static void Text(Utf8JsonWriter json, string? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteStringValue(value);
        }
    }

    /// <summary>Writes a number, or null.</summary>
    public static void Number(Utf8JsonWriter json, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
