using System.Text.Json.Serialization;

namespace Jobwright.Status;

/// <summary>How one task inside a job ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobTaskStatus>))]
public enum JobTaskStatus
{
    /// <summary>The task succeeded.</summary>
    [JsonStringEnumMemberName("OK")] Ok,
    /// <summary>The task succeeded with a warning; it counts as succeeded.</summary>
    [JsonStringEnumMemberName("WARNING")] Warning,
    /// <summary>The task failed.</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,
    /// <summary>The task was not run.</summary>
    [JsonStringEnumMemberName("SKIPPED")] Skipped,
    /// <summary>The task stopped because the job was canceled.</summary>
    [JsonStringEnumMemberName("CANCELED")] Canceled,
}

/// <summary>Wire names of <see cref="JobTaskStatus"/>.</summary>
public static class JobTaskStatuses
{
    private static readonly string[] WireNames = ["OK", "WARNING", "FAILED", "SKIPPED", "CANCELED"];

    /// <summary>The exact wire name, e.g. <c>FAILED</c>.</summary>
    public static string ToWire(this JobTaskStatus status) => WireNames[(int)status];
}
