using Jobwright.Status;

namespace Jobwright.Storage;

/// <summary>A filtered page of jobs, newest first.</summary>
public sealed record JobQuery
{
    /// <summary>Only these statuses, or all when empty.</summary>
    public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only this operation name.</summary>
    public string? Operation { get; init; }

    /// <summary>Only this group.</summary>
    public string? Group { get; init; }

    /// <summary>Only this target.</summary>
    public string? Target { get; init; }

    /// <summary>Only this submitter.</summary>
    public string? Submitter { get; init; }

    /// <summary>Submitted at or after.</summary>
    public DateTimeOffset? SubmittedFrom { get; init; }

    /// <summary>Submitted before.</summary>
    public DateTimeOffset? SubmittedTo { get; init; }

    /// <summary>Only ended jobs that were resolved (true) or not yet (false: also every job that has not ended); all when null.</summary>
    public bool? Resolved { get; init; }

    /// <summary>Only the jobs this schedule made.</summary>
    public long? ScheduleId { get; init; }

    /// <summary>Only jobs with a smaller id (the cursor of the previous page).</summary>
    public long? BeforeId { get; init; }

    /// <summary>At most this many.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>How many jobs a page holds: <see cref="Limit"/>, from 1 to 1,000.</summary>
    public int PageSize => Math.Clamp(Limit, 1, 1000);

    /// <summary>How many jobs a store reads for the page: one more than it holds (see <see cref="JobPage.FromFetched"/>).</summary>
    public int FetchSize => PageSize + 1;
}
