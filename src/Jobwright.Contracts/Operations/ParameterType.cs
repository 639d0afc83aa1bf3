using System.Text.Json.Serialization;

namespace Jobwright.Operations;

/// <summary>The type of an operation parameter.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParameterType>))]
public enum ParameterType
{
    /// <summary>Text.</summary>
    [JsonStringEnumMemberName("string")] String,
    /// <summary>A 64-bit whole number.</summary>
    [JsonStringEnumMemberName("integer")] Integer,
    /// <summary>A floating-point number.</summary>
    [JsonStringEnumMemberName("number")] Number,
    /// <summary>true or false.</summary>
    [JsonStringEnumMemberName("boolean")] Boolean,
}
