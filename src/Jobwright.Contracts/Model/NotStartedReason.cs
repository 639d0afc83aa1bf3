namespace Jobwright.Model;

/// <summary>Why a NOT_STARTED job has not started (SPEC §4).</summary>
public sealed record NotStartedReason(string Code, string Message, long? BlockingJobId = null);
