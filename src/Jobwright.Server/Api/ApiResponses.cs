using Jobwright.Model;

namespace Jobwright.Server.Api;

// The JSON API's answers that are not a model type of their own: one record each, so that what an endpoint
// writes and what /openapi/v1.json says it writes are the same type.

/// <summary>A page of jobs, newest first; <c>nextCursor</c> asks for the next page.</summary>
internal sealed record JobListResponse(IEnumerable<JobRecord> Jobs, string? NextCursor);

/// <summary>A page of the audit trail, newest first.</summary>
internal sealed record AuditListResponse(IReadOnlyList<AuditRecord> Records, string? NextCursor);

/// <summary>The operations this node serves.</summary>
internal sealed record OperationListResponse(IEnumerable<OperationView> Operations);

/// <summary>The live nodes.</summary>
internal sealed record NodeListResponse(IReadOnlyList<NodeInfo> Nodes);

/// <summary>Jobs by status, and the NOT_STARTED ones by the reason they wait (null for a caller who does not see every job).</summary>
internal sealed record StatsResponse(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<WaitingReasonCount>? Waiting);

/// <summary>The node is up and its store answers.</summary>
internal sealed record HealthResponse(string Status, string Store, bool TakingWork);

/// <summary>An RFC 9457 problem as every refusal of the JSON API writes it (documentation of <c>Problems.Create</c>).</summary>
internal sealed record ProblemResponse
{
    /// <summary>The problem's kind, a <c>urn:jobwright:problem:…</c> URI.</summary>
    public required string Type { get; init; }

    /// <summary>The kind of problem, for a person.</summary>
    public required string Title { get; init; }

    /// <summary>The HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>What went wrong with this request.</summary>
    public required string Detail { get; init; }

    /// <summary>The fields at fault, each with its fix; absent when no field is.</summary>
    public IReadOnlyList<ProblemFieldResponse>? Errors { get; init; }
}

/// <summary>A field a problem names, and how to fix it.</summary>
internal sealed record ProblemFieldResponse(string Field, string Message);
