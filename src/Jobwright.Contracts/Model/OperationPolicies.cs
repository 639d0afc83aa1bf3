namespace Jobwright.Model;

/// <summary>When a job of an operation may start and how long it may run.</summary>
/// <param name="PerTargetConcurrency">How many jobs of it may hold one target at once.</param>
/// <param name="MaxConcurrency">How many jobs of it may run at once on the whole store, or null for no limit.</param>
/// <param name="WhenTargetBusy">What a job does while its target is busy.</param>
/// <param name="TimeoutSeconds">How long a job of it may run, or null for no limit.</param>
public sealed record OperationPolicies(int PerTargetConcurrency, int? MaxConcurrency, BusyPolicyView WhenTargetBusy, double? TimeoutSeconds);
