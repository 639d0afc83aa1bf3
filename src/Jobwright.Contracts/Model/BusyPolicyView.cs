namespace Jobwright.Model;

/// <summary>What a job does while its target is busy.</summary>
/// <param name="Policy"><c>wait</c> or <c>retryLater</c>.</param>
/// <param name="MaxWaitSeconds">How long it waits before it ends FAILED_BEFORE_COMPLETION_RETRY, or null for no bound.</param>
/// <param name="RetryAfterSeconds">The retry hint it then gives.</param>
public sealed record BusyPolicyView(string Policy, double? MaxWaitSeconds, double RetryAfterSeconds);
