using Jobwright.Status;

namespace Jobwright.Model;

/// <summary>One recorded change of a job's status (from is null for the submit).</summary>
public sealed record JobTransition(
    DateTimeOffset Time,
    JobStatus? From,
    JobStatus To,
    string? Node,
    string? Actor,
    string? Reason);
