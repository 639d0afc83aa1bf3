using System.Text.Json.Nodes;

namespace Jobwright.Client;

/// <summary>One declared parameter of an operation.</summary>
public sealed record ParameterInfo
{
    /// <summary>The parameter's name.</summary>
    public required string Name { get; init; }

    /// <summary><c>string</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</summary>
    public required string Type { get; init; }

    /// <summary>A submit must give it.</summary>
    public bool Required { get; init; }

    /// <summary>The value used when it is not given.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>The only values allowed.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A regular expression a string must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The smallest number allowed.</summary>
    public double? Minimum { get; init; }

    /// <summary>The largest number allowed.</summary>
    public double? Maximum { get; init; }

    /// <summary>Never shown.</summary>
    public bool Sensitive { get; init; }

    /// <summary>What it means.</summary>
    public string? Description { get; init; }
}
