using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Jobwright.Operations;

/// <summary>One declared parameter of an operation.</summary>
public sealed record ParameterDefinition(string Name, ParameterType Type)
{
    /// <summary>A submit without this parameter is refused.</summary>
    public bool Required { get; init; }

    /// <summary>The value used when the parameter is not given.</summary>
    public JsonValue? Default { get; init; }

    /// <summary>The only values allowed (strings), or null for any.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A regular expression a string value must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The smallest number allowed.</summary>
    public double? Minimum { get; init; }

    /// <summary>The largest number allowed.</summary>
    public double? Maximum { get; init; }

    /// <summary>Never shown or logged.</summary>
    public bool Sensitive { get; init; }

    /// <summary>What the parameter means.</summary>
    public string? Description { get; init; }

    /// <summary>The largest string length allowed.</summary>
    [JsonIgnore]
    public int MaxLength { get; init; } = 4096;
}
