using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace Jobwright.Status;

// The one place that spells the ten HMC job statuses and decides which transitions are legal.
// Every interface (JSON, XML, CLI, database) goes through JobStatuses.ToWire / TryParse.

/// <summary>The status of a job, exactly as the IBM Power HMC job model defines it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    /// <summary>Accepted and durably stored, not yet begun.</summary>
    [JsonStringEnumMemberName("NOT_STARTED")] NotStarted,
    /// <summary>The handler has begun.</summary>
    [JsonStringEnumMemberName("RUNNING")] Running,
    /// <summary>Every task succeeded.</summary>
    [JsonStringEnumMemberName("COMPLETED_OK")] CompletedOk,
    /// <summary>Some tasks succeeded and some failed.</summary>
    [JsonStringEnumMemberName("COMPLETED_WITH_WARNINGS")] CompletedWithWarnings,
    /// <summary>Ended naturally but not OK: precondition not met, or must be rerun.</summary>
    [JsonStringEnumMemberName("COMPLETED_WITH_ERROR")] CompletedWithError,
    /// <summary>An internal error kept the handler from starting.</summary>
    [JsonStringEnumMemberName("FAILED_TO_START")] FailedToStart,
    /// <summary>The handler threw, or was interrupted without a cancel.</summary>
    [JsonStringEnumMemberName("FAILED_BEFORE_COMPLETION")] FailedBeforeCompletion,
    /// <summary>The target is busy; try again after <c>retryAfterSeconds</c>.</summary>
    [JsonStringEnumMemberName("FAILED_BEFORE_COMPLETION_RETRY")] FailedBeforeCompletionRetry,
    /// <summary>Canceled while NOT_STARTED; the handler never ran.</summary>
    [JsonStringEnumMemberName("CANCELED_BEFORE_START")] CanceledBeforeStart,
    /// <summary>Canceled while RUNNING, and the handler stopped because of it.</summary>
    [JsonStringEnumMemberName("CANCELED_WHILE_RUNNING")] CanceledWhileRunning,
}

/// <summary>Wire names and the transition table of <see cref="JobStatus"/>.</summary>
public static class JobStatuses
{
    /// <summary>All ten statuses, in the order of the enum.</summary>
    public static IReadOnlyList<JobStatus> All { get; } = Enum.GetValues<JobStatus>();

    /// <summary>The statuses a job can never leave.</summary>
    public static IReadOnlyList<JobStatus> Terminal { get; } = All.Where(s => s.IsTerminal()).ToArray();

    private static readonly string[] WireNames =
    [
        "NOT_STARTED", "RUNNING", "COMPLETED_OK", "COMPLETED_WITH_WARNINGS", "COMPLETED_WITH_ERROR",
        "FAILED_TO_START", "FAILED_BEFORE_COMPLETION", "FAILED_BEFORE_COMPLETION_RETRY",
        "CANCELED_BEFORE_START", "CANCELED_WHILE_RUNNING",
    ];

    private static readonly FrozenDictionary<string, JobStatus> ByWireName =
        All.ToFrozenDictionary(ToWire, StringComparer.Ordinal);

    private static readonly FrozenDictionary<JobStatus, JobStatus[]> LegalNext = new Dictionary<JobStatus, JobStatus[]>
    {
        [JobStatus.NotStarted] =
        [
            JobStatus.Running, JobStatus.CanceledBeforeStart, JobStatus.FailedToStart, JobStatus.FailedBeforeCompletionRetry,
        ],
        [JobStatus.Running] =
        [
            JobStatus.CompletedOk, JobStatus.CompletedWithWarnings, JobStatus.CompletedWithError,
            JobStatus.FailedBeforeCompletion, JobStatus.FailedBeforeCompletionRetry, JobStatus.CanceledWhileRunning,
        ],
    }.ToFrozenDictionary();

    /// <summary>The exact wire name, e.g. <c>COMPLETED_WITH_WARNINGS</c>.</summary>
    public static string ToWire(this JobStatus status) => WireNames[(int)status];

    /// <summary>Parses an exact wire name (case-sensitive, as every interface spells it).</summary>
    public static bool TryParse(string? wireName, out JobStatus status)
    {
        if (wireName is not null && ByWireName.TryGetValue(wireName, out status))
        {
            return true;
        }

        status = default;
        return false;
    }

    /// <summary>Parses an exact wire name or throws <see cref="FormatException"/>.</summary>
    public static JobStatus Parse(string wireName) =>
        TryParse(wireName, out var status) ? status : throw new FormatException($"'{wireName}' is not a job status.");

    /// <summary>True for the eight statuses a job can never leave.</summary>
    public static bool IsTerminal(this JobStatus status) => status is not (JobStatus.NotStarted or JobStatus.Running);

    /// <summary>True when the contract allows a job to move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanTransition(JobStatus from, JobStatus to) =>
        LegalNext.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;

    /// <summary>The statuses reachable from <paramref name="from"/> in one legal step.</summary>
    public static IReadOnlyList<JobStatus> NextStatuses(JobStatus from) =>
        LegalNext.TryGetValue(from, out var next) ? next : [];
}
