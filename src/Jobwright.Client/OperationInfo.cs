using System.Text.Json.Nodes;
using Jobwright.Operations;

namespace Jobwright.Client;

/// <summary>An operation a node serves: its parameter schema and policies.</summary>
public sealed record OperationInfo
{
    /// <summary>The operation's name.</summary>
    public required string Name { get; init; }

    /// <summary>The operation's group.</summary>
    public required string Group { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>A submit must name a target.</summary>
    public bool TargetRequired { get; init; }

    /// <summary>The declared parameters, as the node declares them (the same type the node uses).</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; init; } = [];

    /// <summary>Concurrency, busy policy and timeout, as the node describes them.</summary>
    public JsonObject? Policies { get; init; }
}
