namespace Jobwright.Model;

/// <summary>How many NOT_STARTED jobs wait for one reason (a <see cref="NotStartedReasonCodes"/> code), and since when the oldest waits.</summary>
public sealed record WaitingReasonCount(string Reason, long Jobs, DateTimeOffset OldestSubmitted);
