using Jobwright.Status;

namespace Jobwright.Client;

/// <summary>Filters of <c>GET /api/v1/jobs</c>.</summary>
public sealed record JobListFilter
{
    /// <summary>Only these statuses.</summary>
    public IReadOnlyList<JobStatus> Statuses { get; init; } = [];

    /// <summary>Only this operation.</summary>
    public string? Operation { get; init; }

    /// <summary>Only this group.</summary>
    public string? Group { get; init; }

    /// <summary>Only this target.</summary>
    public string? Target { get; init; }

    /// <summary>Only this submitter.</summary>
    public string? Submitter { get; init; }

    /// <summary>Submitted at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Submitted before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only ended jobs that were resolved (true), or only jobs not resolved (false); all when null.</summary>
    public bool? Resolved { get; init; }

    /// <summary>Jobs per page (1 to 1000).</summary>
    public int Limit { get; init; } = 50;
}
