using Jobwright.Model;

namespace Jobwright.Storage;

/// <summary>What a cancel did, and the job after it.</summary>
public sealed record CancelResult(CancelOutcome Outcome, JobRecord? Job);
