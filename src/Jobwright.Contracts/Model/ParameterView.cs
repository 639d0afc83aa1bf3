using System.Text.Json.Nodes;
using Jobwright.Operations;

namespace Jobwright.Model;

/// <summary>One declared parameter of an operation, as the API shows it (a sensitive one never with its default).</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Required">A submit without it is refused.</param>
/// <param name="Default">The value used when it is not given.</param>
/// <param name="Enum">The only values allowed, or null for any.</param>
/// <param name="Pattern">A regular expression a string value must match.</param>
/// <param name="Minimum">The smallest number allowed.</param>
/// <param name="Maximum">The largest number allowed.</param>
/// <param name="Sensitive">Never shown or logged.</param>
/// <param name="Description">What it means.</param>
public sealed record ParameterView(
    string Name,
    ParameterType Type,
    bool Required,
    JsonValue? Default,
    IReadOnlyList<string>? Enum,
    string? Pattern,
    double? Minimum,
    double? Maximum,
    bool Sensitive,
    string? Description);
