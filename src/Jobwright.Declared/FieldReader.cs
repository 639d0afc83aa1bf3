using System.Text.Json;
using System.Text.Json.Nodes;
using Jobwright.Model;

namespace Jobwright.Declared;

/// <summary>Reads typed fields out of a JSON object, noting each mistake with the field's path.</summary>
internal sealed class FieldReader(List<string> errors, string where)
{
    public void Error(string field, string message) => errors.Add($"{where}field '{field}': {message}");

    public string? String(JsonObject node, string field, string path, bool required = false)
    {
        var value = node[field];
        if (value is null)
        {
            if (required)
            {
                Error(path + field, "is required.");
            }

            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        Error(path + field, "must be a string.");
        return null;
    }

    public long? Integer(JsonObject node, string field, string path)
    {
        var value = node[field];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number))
        {
            return number;
        }

        Error(path + field, "must be a whole number.");
        return null;
    }

    public double? Number(JsonObject node, string field, string path)
    {
        var value = node[field];
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            return double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Error(path + field, "must be a number.");
        return null;
    }

    public bool Boolean(JsonObject node, string field, string path)
    {
        var value = node[field];
        if (value is null)
        {
            return false;
        }

        if (value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        Error(path + field, "must be true or false.");
        return false;
    }

    public TimeSpan? Duration(JsonObject node, string field, string path)
    {
        var text = node[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() + "s" : String(node, field, path);
        if (text is null)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        Error(path + field, $"'{text}' is not a duration; write e.g. 30s, 10m, 2h.");
        return null;
    }

    public JsonObject? Object(JsonObject node, string field, string path)
    {
        var value = node[field];
        if (value is null or JsonObject)
        {
            return value as JsonObject;
        }

        Error(path + field, "must be an object.");
        return null;
    }

    public void OnlyKnown(JsonObject node, string path, params string[] known)
    {
        foreach (var (name, _) in node)
        {
            if (!known.Contains(name))
            {
                Error(path + name, $"is not a field here; the fields are {string.Join(", ", known)}.");
            }
        }
    }
}
