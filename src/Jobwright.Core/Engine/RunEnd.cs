using Jobwright.Status;

namespace Jobwright.Engine;

/// <summary>How a run ended its job, for the run's span.</summary>
internal sealed record RunEnd(JobStatus Status, string? Reason);
