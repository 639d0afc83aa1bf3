using System.Text.Json.Serialization;

namespace Jobwright.Status;

/// <summary>The severity of a job message.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageSeverity>))]
public enum MessageSeverity
{
    /// <summary>For information.</summary>
    [JsonStringEnumMemberName("INFO")] Info,
    /// <summary>Something the operator should look at.</summary>
    [JsonStringEnumMemberName("WARNING")] Warning,
    /// <summary>Something went wrong.</summary>
    [JsonStringEnumMemberName("ERROR")] Error,
}
