using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Jobwright.Operations;

/// <summary>Replaces <c>{name}</c> with a parameter's value inside one string; nothing else is interpreted.</summary>
public static partial class Placeholders
{
    /// <summary>The names a template refers to.</summary>
    public static IEnumerable<string> Names(string template) => Pattern().Matches(template).Select(m => m.Groups[1].Value);

    /// <summary>The template with each <c>{name}</c> replaced by the parameter's text (empty when it has none).</summary>
    public static string Render(string template, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Pattern().Replace(template, m => Text(parameters[m.Groups[1].Value]));
    }

    /// <summary>A parameter value as text: strings as they are, booleans as true/false, numbers as JSON writes them.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => value.ToJsonString(),
    };

    [GeneratedRegex(@"\{([A-Za-z0-9_-]+)\}")]
    private static partial Regex Pattern();
}
