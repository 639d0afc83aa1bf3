using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobwright.Handlers;

/// <summary>A job's parameters, already validated and converted to their declared types.</summary>
public sealed class JobParameters
{
    private readonly JsonObject _values;

    internal JobParameters(JsonObject values) => _values = values;

    /// <summary>The names of the parameters that have a value.</summary>
    public IEnumerable<string> Names => _values.Select(p => p.Key);

    /// <summary>True when the parameter has a value.</summary>
    public bool Has(string name) => _values[name] is not null;

    /// <summary>The value, or <paramref name="fallback"/> when absent.</summary>
    public T Get<T>(string name, T fallback)
    {
        var node = _values[name];
        return node is null ? fallback : node.Deserialize<T>() ?? fallback;
    }

    /// <summary>The value; throws when the parameter has none.</summary>
    public T Get<T>(string name) =>
        _values[name] is { } node
            ? node.Deserialize<T>() ?? throw new InvalidOperationException($"Parameter '{name}' is null.")
            : throw new KeyNotFoundException($"Parameter '{name}' has no value.");

    /// <summary>A string value or null.</summary>
    public string? GetString(string name) => _values[name]?.ToString();
}
