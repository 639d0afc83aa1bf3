using System.Text.Json;
using Jobwright.Model;

namespace Jobwright.Sqlite;

/// <summary>How the JSON columns (progress, results, messages, error) are written and read.</summary>
internal static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string? Write<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, Options);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    public static JobProgress ReadProgress(string? json) => Read<JobProgress>(json) ?? JobProgress.Empty;
}
