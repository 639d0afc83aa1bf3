using System.Text.Json;
using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>How a store writes and reads the JSON columns of a job (progress, results, messages, error); the same in every store.</summary>
public static class StoredJson
{
    /// <summary>The serializer options of the stored columns.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The value as JSON, or null.</summary>
    public static string? Write<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, Options);

    /// <summary>The value of stored JSON, or the default when there is none.</summary>
    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>Stored progress, or empty progress when there is none.</summary>
    public static JobProgress ReadProgress(string? json) => Read<JobProgress>(json) ?? JobProgress.Empty;
}
